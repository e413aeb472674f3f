package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.json.RequestInspector;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.config.VertexSettings;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.auth.AccessToken;
import io.claudelb.server.auth.CredentialThread;
import io.claudelb.server.auth.GoogleTokenFetcher;
import io.claudelb.server.auth.TokenSource;
import io.claudelb.server.auth.UpstreamTokens;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vertex pieces against the Vertex mock over loopback: a service-account key made here (a fresh RSA key, its
 * token_uri pointing at the mock), tokens from Google's auth library through {@link GoogleTokenFetcher} and a
 * {@link TokenSource}, bodies and heads from {@link VertexRequests}, answers and errors through
 * {@link VertexTranslation} and {@link CloudFailures}.
 */
class VertexMockTest {
    private static final String CLIENT_BODY = "{\"model\":\"claude-opus-4-7\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final FailureClassifier CLASSIFIER = new FailureClassifier(HealthSettings.DEFAULTS);
    @TempDir
    static Path dir;
    private static MockUpstream mock;
    private static UpstreamConfig upstream;
    private static EventLoop loop;
    private static final FakeClock CLOCK = new FakeClock();

    @BeforeAll
    static void start() throws Exception {
        mock = MockUpstream.start(MockOptions.builder().name("vertex").build());
        Path key = TestServiceAccount.write(mock, dir);
        upstream = UpstreamConfig.builder("vertex", UpstreamKind.VERTEX).baseUrl(mock.baseUrl())
                .auth(UpstreamAuth.googleServiceAccount(key)).vertex(new VertexSettings("my-project", "us-east5"))
                .build();
        loop = new DefaultEventLoop();
    }

    @AfterAll
    static void stop() throws Exception {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        mock.close();
    }

    private static TokenSource tokens() {
        return new UpstreamTokens(u -> new GoogleTokenFetcher(u, CredentialThread.shared(), System::currentTimeMillis),
                CLOCK).source(upstream);
    }

    private static RawHttpClient.Response predict(String token, boolean stream, String... mockHeaders)
            throws Exception {
        ByteBuf clientBody = Unpooled.copiedBuffer(CLIENT_BODY, StandardCharsets.UTF_8);
        ByteBuf body = VertexRequests.body(PooledByteBufAllocator.DEFAULT, clientBody);
        try {
            io.netty.handler.codec.http.HttpHeaders h = new DefaultHttpHeaders().add("anthropic-beta", "context-1m-2025-08-07")
                    .add("x-claude-code-session-id", "s-1").add("user-agent", "claude-cli/2");
            HttpRequest client = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages", h);
            HttpRequest head = VertexRequests.head(client, upstream, VertexRequests.path(upstream,
                    "claude-opus-4-7", stream), token, body.readableBytes());
            for (int i = 0; i < mockHeaders.length; i += 2) {
                head.headers().set(mockHeaders[i], mockHeaders[i + 1]);
            }
            return Wire.send(mock.port(), head, body);
        } finally {
            body.release();
            clientBody.release();
        }
    }

    @Test
    void aServiceAccountTokenFromTheKeyFilesOwnTokenUriOpensTheStream() throws Exception {
        AccessToken token = tokens().token(loop).get(10, TimeUnit.SECONDS);
        assertThat(token.value()).startsWith("ya29.mock-");
        RawHttpClient.Response r = predict(token.value(), true);
        assertThat(r.status).isEqualTo(200);
        var sent = mock.requests().get(mock.requests().size() - 1);
        assertThat(sent.uri()).isEqualTo("/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/"
                + "claude-opus-4-7:streamRawPredict");
        assertThat(sent.bodyText()).startsWith("{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":64,"
                + "\"stream\":true,").doesNotContain("\"model\"");
        assertThat(sent.header("anthropic-beta")).isEqualTo("context-1m-2025-08-07");
        assertThat(sent.header("x-claude-code-session-id")).isNull();
        // Vertex's stream is Anthropic's: the translation relays the very bytes.
        VertexTranslation t = new VertexTranslation(PooledByteBufAllocator.DEFAULT);
        List<Sse.Event> events = Sse.parse(Wire.text(t.content(Wire.last(r.bodyBytes()))));
        assertThat(events.get(0).event()).isEqualTo("message_start");
        assertThat(events.get(0).data()).contains("\"model\":\"claude-opus-4-7\"");
        assertThat(events.get(events.size() - 1).event()).isEqualTo("message_stop");
    }

    @Test
    void countTokensKeepsTheModelInItsBody() throws Exception {
        AccessToken token = tokens().token(loop).get(10, TimeUnit.SECONDS);
        ByteBuf clientBody = Unpooled.copiedBuffer(CLIENT_BODY, StandardCharsets.UTF_8);
        ByteBuf body = VertexRequests.countTokensBody(PooledByteBufAllocator.DEFAULT, clientBody,
                RequestInspector.inspect(clientBody), "claude-opus-4-7@20260101");
        try {
            HttpRequest head = VertexRequests.head(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                    "/v1/messages/count_tokens"), upstream, VertexRequests.countTokensPath(upstream), token.value(),
                    body.readableBytes());
            RawHttpClient.Response r = Wire.send(mock.port(), head, body);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.json().number("input_tokens")).isPositive();
            assertThat(mock.requests().get(mock.requests().size() - 1).bodyText())
                    .contains("\"model\":\"claude-opus-4-7@20260101\"");
        } finally {
            body.release();
            clientBody.release();
        }
    }

    @Test
    void aTokenTheMockDidNotIssueIsRefusedAndTranslatedAsAnAuthenticationError() throws Exception {
        RawHttpClient.Response r = predict("ya29.forged", false);
        assertThat(r.status).isEqualTo(401);
        assertThat(r.bodyText()).contains("UNAUTHENTICATED");
        assertThat(CloudFailures.vertexStatus(CLASSIFIER, 401, r.bodyText())).isEqualTo(FailureKind.UPSTREAM_AUTH);
        VertexTranslation t = new VertexTranslation(PooledByteBufAllocator.DEFAULT);
        assertThat(Wire.text(t.errorBody(401, Unpooled.wrappedBuffer(r.bodyBytes()))))
                .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"Request had");
    }

    @Test
    void aRegionalQuotaIsARateLimitThatCoolsTheUpstreamDown() throws Exception {
        AccessToken token = tokens().token(loop).get(10, TimeUnit.SECONDS);
        RawHttpClient.Response r = predict(token.value(), true, "x-mock-status", "429");
        assertThat(r.status).isEqualTo(429);
        assertThat(CloudFailures.vertexStatus(CLASSIFIER, 429, r.bodyText())).isEqualTo(FailureKind.HTTP_429);
        VertexTranslation t = new VertexTranslation(PooledByteBufAllocator.DEFAULT);
        assertThat(Wire.text(t.errorBody(429, Unpooled.wrappedBuffer(r.bodyBytes()))))
                .contains("\"rate_limit_error\"").contains("Quota exceeded");
        RawHttpClient.Response overloaded = predict(token.value(), false, "x-mock-status", "529");
        assertThat(Wire.text(t.errorBody(529, Unpooled.wrappedBuffer(overloaded.bodyBytes()))))
                .isEqualTo(overloaded.bodyText());
    }

    @Test
    void tokensAreRefreshedInTheBackgroundBeforeTheyExpire() throws Exception {
        mock.cloud().setGoogleTokenLifetime(Duration.ofSeconds(100));
        TokenSource source = tokens();
        AccessToken first = source.token(loop).get(10, TimeUnit.SECONDS);
        int issued = mock.cloud().googleTokensIssued();
        CLOCK.advance(Duration.ofSeconds(85));
        // Past 80% of its life the token is still sent, and a new one is fetched meanwhile.
        assertThat(source.token(loop).get(10, TimeUnit.SECONDS)).isSameAs(first);
        io.claudelb.server.support.Await.until("background refresh", () -> source.fetches() == 2
                && mock.cloud().googleTokensIssued() == issued + 1, Duration.ofSeconds(10));
        io.claudelb.server.support.Await.until("new token in use", () -> {
            try {
                return !source.token(loop).get(10, TimeUnit.SECONDS).value().equals(first.value());
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(10));
        mock.cloud().setGoogleTokenLifetime(Duration.ofHours(1));
    }
}
