package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.auth.AwsRequestSigner;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The Bedrock pieces against the Bedrock mock over loopback: bodies and signed heads from {@link BedrockRequests},
 * signatures recomputed by the mock with the SDK's signer, event-stream answers through {@link BedrockTranslation},
 * exception frames and HTTP errors through {@link CloudFailures}.
 */
class BedrockMockTest {
    private static final String KEY_ID = "AKIAMOCKEXAMPLE";
    private static final String SECRET = "mock/secret+key";
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String CLIENT_BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
    private static final FailureClassifier CLASSIFIER = new FailureClassifier(HealthSettings.DEFAULTS);
    private static MockUpstream mock;
    private static UpstreamConfig upstream;
    private static final AwsCredentialsIdentity CREDENTIALS = AwsBasicCredentials.create(KEY_ID, SECRET);
    private static final AwsRequestSigner SIGNER = new AwsRequestSigner("us-east-1", BedrockSettings.SIGNING_SERVICE,
            Clock.systemUTC());

    @BeforeAll
    static void start() {
        mock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        mock.cloud().acceptAwsKey(KEY_ID, SECRET, null);
        upstream = UpstreamConfig.builder("bedrock", UpstreamKind.BEDROCK).baseUrl(mock.baseUrl())
                .auth(UpstreamAuth.awsKeys(KEY_ID, SECRET, "")).bedrock(new BedrockSettings("us-east-1")).build();
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    private static HttpRequest client(String... headers) {
        HttpHeaders h = new DefaultHttpHeaders();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages?beta=true", h);
    }

    private static RawHttpClient.Response call(boolean stream, HttpRequest client, AwsCredentialsIdentity creds)
            throws Exception {
        ByteBuf clientBody = Unpooled.copiedBuffer(CLIENT_BODY, StandardCharsets.UTF_8);
        ByteBuf body = BedrockRequests.body(PooledByteBufAllocator.DEFAULT, clientBody, client.headers(), upstream);
        try {
            HttpRequest head = BedrockRequests.head(upstream, BedrockRequests.path(upstream, MODEL, stream), stream,
                    body, creds, SIGNER);
            client.headers().forEach(h -> {
                if (h.getKey().startsWith("x-mock-")) {
                    head.headers().set(h.getKey(), h.getValue());
                }
            });
            return Wire.send(mock.port(), head, body);
        } finally {
            body.release();
            clientBody.release();
        }
    }

    @Test
    void aSignedStreamIsVerifiedByTheMockAndTranslatesToAnthropicSse() throws Exception {
        int verified = mock.cloud().signaturesVerified();
        RawHttpClient.Response r = call(true, client("anthropic-beta", "interleaved-thinking-2025-05-14"), CREDENTIALS);
        assertThat(r.status).isEqualTo(200);
        assertThat(r.header("content-type")).isEqualTo("application/vnd.amazon.eventstream");
        assertThat(mock.cloud().signaturesVerified()).isEqualTo(verified + 1);
        String sent = mock.requests().get(mock.requests().size() - 1).bodyText();
        assertThat(sent).startsWith("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":"
                + "[\"interleaved-thinking-2025-05-14\"],\"max_tokens\":64,").doesNotContain("\"model\"")
                .doesNotContain("\"stream\"");
        assertThat(mock.requests().get(mock.requests().size() - 1).uri())
                .isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");

        BedrockTranslation translation = opened(r);
        HttpHeaders headers = new DefaultHttpHeaders();
        r.headers.forEach((k, v) -> headers.add(k, v));
        translation.head(headers);
        assertThat(headers.get("content-type")).isEqualTo("text/event-stream; charset=utf-8");
        List<Sse.Event> events = Sse.parse(Wire.text(translation.content(Wire.last(r.bodyBytes()))));
        assertThat(events).extracting(Sse.Event::event).startsWith("message_start", "content_block_start", "ping")
                .endsWith("message_delta", "message_stop");
        assertThat(events.get(0).data()).contains("\"model\":\"" + MODEL + "\"");
        assertThat(translation.metrics().outputTokens()).isEqualTo(34);
        assertThat(translation.streamException()).isNull();
    }

    @Test
    void aNonStreamingAnswerIsAnthropicJsonAndSessionTokensAreSigned() throws Exception {
        mock.cloud().acceptAwsKey("ASIATEMPORARY", "temp-secret", "session-token-1");
        RawHttpClient.Response r = call(false, client(), AwsSessionCredentials.create("ASIATEMPORARY",
                "temp-secret", "session-token-1"));
        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().text("type")).isEqualTo("message");
        assertThat(mock.requests().get(mock.requests().size() - 1).header("x-amz-security-token"))
                .isEqualTo("session-token-1");
    }

    @Test
    void aWrongCanonicalRequestFailsTheSignature() throws Exception {
        ByteBuf body = BedrockRequests.body(PooledByteBufAllocator.DEFAULT,
                Unpooled.copiedBuffer(CLIENT_BODY, StandardCharsets.UTF_8), client().headers(), upstream);
        try {
            String path = BedrockRequests.path(upstream, MODEL, false);
            HttpRequest head = BedrockRequests.head(upstream, path, false, body, CREDENTIALS, SIGNER);
            int rejected = mock.cloud().signaturesRejected();
            // The same bytes under another spelling of the path: the canonical URI differs.
            head.setUri(path.replace("%3A", ":"));
            RawHttpClient.Response r = Wire.send(mock.port(), head, body);
            assertThat(r.status).isEqualTo(403);
            assertThat(r.header("x-amzn-errortype")).startsWith("InvalidSignatureException");
            // A body changed after signing (same length).
            head.setUri(path);
            ByteBuf tampered = body.copy();
            tampered.setByte(tampered.writerIndex() - 3, '9');
            assertThat(Wire.send(mock.port(), head, tampered).status).isEqualTo(403);
            tampered.release();
            // A signed header changed after signing.
            head.headers().set("accept", "*/*");
            assertThat(Wire.send(mock.port(), head, body).status).isEqualTo(403);
            assertThat(mock.cloud().signaturesRejected()).isEqualTo(rejected + 3);
            // Another secret for the same key id.
            HttpRequest wrongKey = BedrockRequests.head(upstream, path, false, body,
                    AwsBasicCredentials.create(KEY_ID, "not-the-secret"), SIGNER);
            assertThat(Wire.send(mock.port(), wrongKey, body).status).isEqualTo(403);
        } finally {
            body.release();
        }
    }

    @Test
    void anExceptionFrameBeforeTheFirstEventIsAFailoverOrAClientError() throws Exception {
        BedrockTranslation throttled = translate(call(true, client(BedrockHeaders.EXCEPTION, "throttlingException"),
                CREDENTIALS));
        assertThat(throttled.streamException().exceptionType()).isEqualTo("throttlingException");
        assertThat(CloudFailures.bedrockStream(CLASSIFIER, throttled.streamException())).isEqualTo(FailureKind.HTTP_429);
        for (String[] row : new String[][] {{"serviceUnavailableException", "HTTP_503"},
                {"internalServerException", "HTTP_500"}, {"modelStreamErrorException", "HTTP_500"},
                {"modelTimeoutException", "HTTP_408"}}) {
            BedrockTranslation t = translate(call(true, client(BedrockHeaders.EXCEPTION, row[0]), CREDENTIALS));
            assertThat(CloudFailures.bedrockStream(CLASSIFIER, t.streamException())).as(row[0])
                    .isEqualTo(FailureKind.valueOf(row[1]));
        }
        BedrockTranslation invalid = translate(call(true, client(BedrockHeaders.EXCEPTION, "validationException"),
                CREDENTIALS));
        BedrockStreamException e = invalid.streamException();
        assertThat(CloudFailures.bedrockStream(CLASSIFIER, e)).isNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorType()).isEqualTo("invalid_request_error");
    }

    @Test
    void anExceptionFrameAfterEventsEndsTheStreamWithOneErrorEvent() throws Exception {
        RawHttpClient.Response r = call(true, client(BedrockHeaders.EXCEPTION, "modelStreamErrorException",
                BedrockHeaders.EXCEPTION_AFTER, "4"), CREDENTIALS);
        BedrockTranslation t = opened(r);
        List<Sse.Event> events = Sse.parse(Wire.text(t.content(Wire.last(r.bodyBytes()))));
        assertThat(events).hasSize(5);
        assertThat(events.get(4).event()).isEqualTo("error");
        assertThat(events.get(4).field("error.type")).isEqualTo("api_error");
        assertThat(Wire.text(t.failure(null, "api_error", "later"))).isEmpty();
    }

    @Test
    void httpErrorsMapToFailureKindsAndAnthropicBodies() throws Exception {
        RawHttpClient.Response throttled = call(false, client("x-mock-status", "429"), CREDENTIALS);
        assertThat(throttled.status).isEqualTo(429);
        String errorType = throttled.header("x-amzn-errortype");
        assertThat(CloudFailures.bedrockStatus(CLASSIFIER, 429, errorType, throttled.bodyText()))
                .isEqualTo(FailureKind.HTTP_429);
        BedrockTranslation t = opened(throttled);
        HttpHeaders headers = new DefaultHttpHeaders();
        throttled.headers.forEach((k, v) -> headers.add(k, v));
        t.head(headers);
        assertThat(Wire.text(t.errorBody(429, Unpooled.wrappedBuffer(throttled.bodyBytes()))))
                .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\"");
        assertThat(CloudFailures.bedrockStatus(CLASSIFIER, 424, "ModelErrorException:x", "")).isEqualTo(
                FailureKind.HTTP_502);
        assertThat(CloudFailures.bedrockStatus(CLASSIFIER, 503, "ServiceUnavailableException", ""))
                .isEqualTo(FailureKind.HTTP_503);
        assertThat(CloudFailures.bedrockStatus(CLASSIFIER, 400, "ValidationException", "")).isNull();
        assertThat(CloudFailures.bedrockStatus(CLASSIFIER, 403, "AccessDeniedException", ""))
                .isEqualTo(FailureKind.UPSTREAM_AUTH);
    }

    @Test
    void theMockRefusesABodyThatStillNamesTheModel() throws Exception {
        ByteBuf raw = Unpooled.copiedBuffer("{\"anthropic_version\":\"bedrock-2023-05-31\",\"model\":\"x\"}",
                StandardCharsets.UTF_8);
        HttpRequest head = BedrockRequests.head(upstream, BedrockRequests.path(upstream, MODEL, false), false, raw,
                CREDENTIALS, SIGNER);
        RawHttpClient.Response r = Wire.send(mock.port(), head, raw);
        raw.release();
        assertThat(r.status).isEqualTo(400);
        assertThat(r.bodyText()).contains("extraneous key [model]");
    }

    /** A translation that has seen the answer's head, as the exchange shows it one before any content. */
    private static BedrockTranslation opened(RawHttpClient.Response r) {
        BedrockTranslation t = new BedrockTranslation(PooledByteBufAllocator.DEFAULT);
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status));
        r.headers.forEach((k, v) -> head.headers().add(k, v));
        t.translatesStream(head);
        return t;
    }

    private static BedrockTranslation translate(RawHttpClient.Response r) {
        assertThat(r.status).isEqualTo(200);
        BedrockTranslation t = opened(r);
        Wire.text(t.content(Wire.last(r.bodyBytes())));
        return t;
    }

    /** The mock's Bedrock failure headers. */
    static final class BedrockHeaders {
        static final String EXCEPTION = "x-mock-bedrock-exception";
        static final String EXCEPTION_AFTER = "x-mock-bedrock-exception-after";
    }
}
