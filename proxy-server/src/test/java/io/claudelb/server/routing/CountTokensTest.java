package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.tokens.TokenEstimator;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/messages/count_tokens}: relayed (routed, rewritten, failed over) to targets that count tokens,
 * answered locally with a marked estimate when none of the route's targets does, behind the same client key.
 */
class CountTokensTest {
    private static final String BODY = "{\"model\":\"%s\",\"system\":\"hello world\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"hello world\"}]}";
    private static MockUpstream primary;
    private static MockUpstream secondary;
    private static MockUpstream workspace;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        primary = MockUpstream.start(MockOptions.builder().name("primary").ioThreads(1).build());
        secondary = MockUpstream.start(MockOptions.builder().name("secondary").ioThreads(1).build());
        workspace = MockUpstream.start(MockOptions.builder().name("ws").ioThreads(1).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .client("alice", "lb-alice")
                .upstream(Upstreams.of("primary", UpstreamKind.ANTHROPIC, primary.baseUrl(),
                        UpstreamAuth.apiKey("sk-1")))
                .upstream(Upstreams.of("secondary", UpstreamKind.ANTHROPIC, secondary.baseUrl(),
                        UpstreamAuth.apiKey("sk-2")))
                .upstream(Upstreams.of("ws", UpstreamKind.DATABRICKS, workspace.baseUrl() + "/serving-endpoints",
                        UpstreamAuth.bearer("dapi")))
                // Databricks first: it does not count tokens (its default), so the relay goes to the Anthropic ones.
                .route(route("*sonnet*", to("ws", null, 0), to("primary", "claude-sonnet-4-5-20250929", 1),
                        to("secondary", null, 2)))
                .route(route("*opus*", to("ws")))
                .route(new RouteConfig("*haiku*", List.of(to("ws", null, 0), to("primary", null, 1),
                        to("secondary", null, 2)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() {
        proxy.stop(Duration.ofSeconds(2));
        primary.close();
        secondary.close();
        workspace.close();
    }

    @BeforeEach
    void clear() {
        primary.clearRequests();
        secondary.clearRequests();
        workspace.clearRequests();
        primary.setBehaviour(MockBehaviour.defaults());
    }

    private static Http.Reply count(String model, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "x-api-key";
        all[1] = "lb-alice";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return Http.post(proxy, "/v1/messages/count_tokens?beta=true", BODY.formatted(model), all);
    }

    @Test
    void relayedToATargetThatCountsWithItsModelRewritten() {
        Http.Reply r = count("claude-sonnet-4-5", "x-claude-lb-upstream", "primary");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-token-estimate")).isNull();
        assertThat(r.header("x-mock-upstream")).isEqualTo("primary");
        assertThat(r.field("input_tokens")).isNotNull();
        assertThat(primary.requests()).hasSize(1);
        assertThat(primary.requests().get(0).uri()).isEqualTo("/v1/messages/count_tokens?beta=true");
        assertThat(Json.field(primary.requests().get(0).bodyText(), "model")).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(primary.requests().get(0).header("x-api-key")).isEqualTo("sk-1");
        assertThat(workspace.requests()).isEmpty();
    }

    @Test
    void aFailingCounterFailsOverToTheNextOne() {
        primary.setBehaviour(MockBehaviour.builder().errorStatus(529).build());
        Http.Reply r = count("claude-haiku-4-5");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("secondary");
        assertThat(r.header("x-claude-lb-token-estimate")).isNull();
        assertThat(primary.requests()).hasSize(1);
        assertThat(secondary.requests()).hasSize(1);
        assertThat(secondary.requests().get(0).uri()).isEqualTo("/v1/messages/count_tokens?beta=true");
        assertThat(workspace.requests()).isEmpty();
    }

    @Test
    void noCountingTargetMeansALocalEstimateMarkedAsSuch() {
        Http.Reply r = count("claude-opus-4-5");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-token-estimate")).isEqualTo("true");
        assertThat(r.header("x-claude-lb-request-id")).startsWith("lbreq_");
        TokenEstimator est = TokenEstimator.cl100k();
        int expected = est.tokens("hello world") + TokenEstimator.PER_MESSAGE + est.tokens("user")
                + est.tokens("hello world");
        assertThat(r.body()).isEqualTo("{\"input_tokens\":" + expected + "}");
        assertThat(workspace.requests()).isEmpty();
    }

    @Test
    void theLocalEstimateIsCountedOnTheControlPlaneWhileTheLoopsServeOthers() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        proxy.gateway().controlPlane().submit(() -> {
            blocked.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        blocked.await();
        CompletableFuture<Http.Reply> estimate = CompletableFuture.supplyAsync(() -> count("claude-opus-4-5"));
        try {
            // A relayed request is answered meanwhile; the estimate waits for the (busy) control plane.
            assertThat(count("claude-sonnet-4-5", "x-claude-lb-upstream", "primary").status()).isEqualTo(200);
            assertThat(estimate).as("counted on the loop, not on the control plane").isNotDone();
        } finally {
            release.countDown();
        }
        Http.Reply r = estimate.get(10, TimeUnit.SECONDS);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-token-estimate")).isEqualTo("true");
    }

    @Test
    void aForcedUpstreamThatDoesNotCountIsEstimatedLocally() {
        Http.Reply r = count("claude-sonnet-4-5", "x-claude-lb-upstream", "ws");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-token-estimate")).isEqualTo("true");
        assertThat(workspace.requests()).isEmpty();
    }

    @Test
    void theClientKeyRulesOfMessagesApply() {
        Http.Reply r = Http.post(proxy, "/v1/messages/count_tokens", BODY.formatted("claude-opus-4-5"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.field("error.type")).isEqualTo("authentication_error");
        Http.Reply unrouted = count("gpt-4o");
        assertThat(unrouted.status()).isEqualTo(404);
        assertThat(unrouted.field("error.message")).contains("gpt-4o");
    }
}
