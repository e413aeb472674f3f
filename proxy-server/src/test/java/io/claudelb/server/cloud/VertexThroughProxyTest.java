package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockAuth;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request routed to a {@code vertex} upstream through claude-lb over loopback: the Google token fetched by the
 * auth library from the service-account key file's own {@code token_uri} (the mock's token endpoint, which issued
 * the token the mock Vertex then checks), renewed when Vertex refuses it with a 401, the stream and the JSON answer
 * relayed as Anthropic's, and count_tokens sent to Vertex's count-tokens endpoint. The proxy and the mock share a fake
 * clock, so a token's lifetime (which the mock Vertex enforces) passes without waiting.
 */
class VertexThroughProxyTest {
    private static final String MODEL = "claude-opus-4-7@20260101";
    private static final String PREDICT = "/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/";

    @TempDir
    Path dir;
    private final FakeClock clock = new FakeClock();
    private MockUpstream vertex;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        vertex = MockUpstream.start(MockOptions.builder().name("vertex")
                .auth(MockAuth.builder().clock(clock).build()).build());
        Path key = TestServiceAccount.write(vertex, dir);
        proxy = ProxyServer.start(TestConfigs.proxy()
                .vertex("vertex", vertex.baseUrl(), key)
                .route(new RouteConfig("*", List.of(new TargetConfig("vertex", MODEL, 0, 0)), Strategy.PRIORITY))
                .build(), clock, "test");
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        vertex.close();
    }

    /** What the mock Vertex was asked, its token endpoint's calls left out. */
    private List<RecordedRequest> calls() {
        return vertex.requests().stream().filter(r -> !r.uri().equals("/token")).toList();
    }

    private RawHttpClient.Response send(boolean stream) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-opus-4-7", stream)));
    }

    @Test
    void aStreamIsRelayedWithATokenFromTheKeyFilesTokenUri() {
        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("vertex");
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        assertThat(r.events()).extracting(Sse.Event::event).startsWith("message_start").endsWith("message_stop");
        assertThat(r.events().get(0).data()).contains("\"model\":\"" + MODEL + "\"");
        assertThat(calls()).singleElement().satisfies(sent -> {
            assertThat(sent.uri()).isEqualTo(PREDICT + MODEL + ":streamRawPredict");
            assertThat(sent.header("authorization")).startsWith("Bearer ya29.mock-");
            assertThat(sent.bodyText()).contains("\"anthropic_version\":\"vertex-2023-10-16\"")
                    .doesNotContain("\"model\"");
        });
        assertThat(vertex.cloud().googleTokensIssued()).isEqualTo(1);
    }

    @Test
    void aJsonAnswerComesBackAsItIs() {
        RawHttpClient.Response r = send(false);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().text("type")).isEqualTo("message");
        assertThat(r.json().text("model")).isEqualTo(MODEL);
        assertThat(calls().get(0).uri()).isEqualTo(PREDICT + MODEL + ":rawPredict");
    }

    @Test
    void aTokenVertexRefusesIsRenewedOnceAndTheRequestSucceeds() {
        assertThat(send(false).status).isEqualTo(200);
        vertex.cloud().revokeGoogleTokens();

        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(vertex.cloud().googleTokensIssued()).isEqualTo(2);
        // The first, the refused one with the old token, the renewed one.
        assertThat(calls()).hasSize(3);
        assertThat(calls().get(1).header("authorization"))
                .isNotEqualTo(calls().get(2).header("authorization"));
    }

    @Test
    void aTokenIsRenewedInTheBackgroundAheadOfExpiryAndAnExpiredOneIsNeverSent() {
        // The mock's tokens last an hour: due for renewal after 48 min, no longer sent in their last 30 s.
        assertThat(send(false).status).isEqualTo(200);
        clock.advance(Duration.ofMinutes(50));

        assertThat(send(false).status).as("sent with the current token while the renewal runs").isEqualTo(200);
        Await.until("a token renewed in the background", () -> vertex.cloud().googleTokensIssued() == 2,
                Duration.ofSeconds(10));
        RawHttpClient.Response renewed = send(true);
        clock.advance(Duration.ofMinutes(60));
        RawHttpClient.Response afterExpiry = send(false);

        assertThat(renewed.status).isEqualTo(200);
        assertThat(renewed.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(afterExpiry.status).isEqualTo(200);
        assertThat(vertex.cloud().googleTokensIssued()).isEqualTo(3);
        // No request was refused for an expired token (a refusal would add a call): each went with a valid one.
        assertThat(calls()).extracting(c -> c.header("authorization"))
                .containsExactly("Bearer ya29.mock-1", "Bearer ya29.mock-1", "Bearer ya29.mock-2",
                        "Bearer ya29.mock-3");
    }

    @Test
    void countTokensGoesToVertexsCountTokensEndpointWithTheModel() {
        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post(
                "/v1/messages/count_tokens", Requests.messages("claude-opus-4-7", false)));

        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().number("input_tokens")).isPositive();
        assertThat(calls()).singleElement().satisfies(sent -> {
            assertThat(sent.uri()).isEqualTo("/v1/projects/my-project/locations/us-east5/publishers/anthropic/models/"
                    + "count-tokens:rawPredict");
            assertThat(sent.bodyText()).contains("\"model\":\"" + MODEL + "\"");
        });
    }
}
