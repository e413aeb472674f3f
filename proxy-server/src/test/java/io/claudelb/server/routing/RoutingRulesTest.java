package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ModelMap;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Route matching and model rewrite seen through a running proxy: which mock a model reaches and which model name it
 * receives. Routes: an exact name, globs with dots, a databricks target with the family table, a passthrough
 * target, and a default route at the end.
 */
class RoutingRulesTest {
    private static MockUpstream anthropic;
    private static MockUpstream relay;
    private static MockUpstream workspace;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        anthropic = MockUpstream.start(MockOptions.builder().name("anthropic").ioThreads(1).build());
        relay = MockUpstream.start(MockOptions.builder().name("relay").ioThreads(1).build());
        workspace = MockUpstream.start(MockOptions.builder().name("ws").ioThreads(1).build());
        GatewayConfig base = TestConfigs.proxy()
                .upstream(Upstreams.of("anthropic", UpstreamKind.ANTHROPIC, anthropic.baseUrl(),
                        UpstreamAuth.apiKey("sk-ant")))
                .upstream(Upstreams.of("relay", UpstreamKind.ANTHROPIC, relay.baseUrl() + "/claude",
                        UpstreamAuth.bearer("relay-token")))
                .upstream(Upstreams.of("ws", UpstreamKind.DATABRICKS, workspace.baseUrl() + "/serving-endpoints",
                        UpstreamAuth.bearer("dapi-ws")))
                // Exact name before the glob that would also match it: first match wins.
                .route(route("claude-opus-4-5-exact", to("relay", "exact-rewrite")))
                .route(route("claude-3.5-*", to("anthropic", "claude-3-5-sonnet-20241022")))
                .route(route("*opus*", to("ws")))
                .route(route("*sonnet*", to("anthropic", "passthrough")))
                .route(route("*haiku*", to("ws", "databricks-claude-haiku-custom")))
                .route(route("gpt-*", to("relay")))
                .build();
        ModelMap table = new ModelMap(List.of(new ModelMap.Rule("opus", "databricks-claude-opus-9")),
                "databricks-claude-fallback");
        GatewayConfig config = new GatewayConfig(base.format(), base.server(), base.admin(), base.clients(),
                base.upstreams(), base.routes(), base.balancing(), base.health(), base.retry(), base.logging(),
                table, base.notes());
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() {
        proxy.stop(Duration.ofSeconds(2));
        anthropic.close();
        relay.close();
        workspace.close();
    }

    @BeforeEach
    void clear() {
        anthropic.clearRequests();
        relay.clearRequests();
        workspace.clearRequests();
    }

    private static Http.Reply send(String model) {
        return Http.post(proxy, "/v1/messages", Http.messages(model));
    }

    private static String sentModel(MockUpstream mock) {
        List<RecordedRequest> requests = mock.requests();
        assertThat(requests).hasSize(1);
        return Json.field(requests.get(0).bodyText(), "model");
    }

    @Test
    void exactRouteWinsOverALaterGlobAndRewritesTheModel() {
        Http.Reply r = send("claude-opus-4-5-exact");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("relay");
        assertThat(sentModel(relay)).isEqualTo("exact-rewrite");
        assertThat(relay.requests().get(0).uri()).isEqualTo("/claude/v1/messages");
    }

    @Test
    void globDotsAreLiteralAndMatchingIsAnchored() {
        assertThat(send("claude-3.5-sonnet").header("x-claude-lb-upstream")).isEqualTo("anthropic");
        assertThat(sentModel(anthropic)).isEqualTo("claude-3-5-sonnet-20241022");
        anthropic.clearRequests();
        // '.' is not "any character": claude-3x5-... does not match claude-3.5-*, so *sonnet* (passthrough) takes it.
        assertThat(send("claude-3x5-sonnet").status()).isEqualTo(200);
        assertThat(sentModel(anthropic)).isEqualTo("claude-3x5-sonnet");
        // Anchored: "my-gpt-4" does not match gpt-* and nothing else matches it.
        Http.Reply unanchored = send("my-gpt-4");
        assertThat(unanchored.status()).isEqualTo(404);
        assertThat(relay.requests()).isEmpty();
    }

    @Test
    void matchingIgnoresCase() {
        assertThat(send("Claude-OPUS-4-5-EXACT").header("x-claude-lb-upstream")).isEqualTo("relay");
        assertThat(send("GPT-5").header("x-claude-lb-upstream")).isEqualTo("relay");
    }

    @Test
    void databricksTargetsWithoutAModelKeepFamilyAndVersionAndUseTheTableOtherwise() {
        assertThat(send("claude-opus-4-1-20250805").status()).isEqualTo(200);
        assertThat(Json.field(workspace.requests().get(0).bodyText(), "model")).isEqualTo("databricks-claude-opus-4-1");
        workspace.clearRequests();
        // A name with no version: the configured family table, the last resort.
        assertThat(send("my-opus").status()).isEqualTo(200);
        RecordedRequest sent = workspace.requests().get(0);
        assertThat(Json.field(sent.bodyText(), "model")).isEqualTo("databricks-claude-opus-9");
        assertThat(sent.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(sent.header("authorization")).isEqualTo("Bearer dapi-ws");
    }

    @Test
    void explicitTargetModelOnADatabricksUpstreamBeatsTheTable() {
        assertThat(send("claude-haiku-4-5").status()).isEqualTo(200);
        assertThat(sentModel(workspace)).isEqualTo("databricks-claude-haiku-custom");
    }

    @Test
    void passthroughKeepsTheClientsModelBytesAndOnlyTheModelChangesOtherwise() {
        String body = "{\"model\": \"claude-sonnet-4-5\" ,\"max_tokens\":16,\n \"messages\":[{\"role\":\"user\","
                + "\"content\":\"h\\u00e9\"}], \"metadata\":{\"user_id\":\"u\"}}";
        assertThat(Http.post(proxy, "/v1/messages", body).status()).isEqualTo(200);
        assertThat(anthropic.requests().get(0).bodyText()).isEqualTo(body);
        anthropic.clearRequests();
        String rewritten = body.replace("claude-sonnet-4-5", "claude-3.5-x");
        assertThat(Http.post(proxy, "/v1/messages", rewritten).status()).isEqualTo(200);
        assertThat(anthropic.requests().get(0).bodyText())
                .isEqualTo(body.replace("\"claude-sonnet-4-5\"", "\"claude-3-5-sonnet-20241022\""));
    }

    @Test
    void aModelNoRouteMatchesGets404NamingIt() {
        Http.Reply r = send("llama-3-70b");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.field("type")).isEqualTo("error");
        assertThat(r.field("error.type")).isEqualTo("not_found_error");
        assertThat(r.field("error.message")).contains("llama-3-70b");
        assertThat(anthropic.requests()).isEmpty();
        assertThat(relay.requests()).isEmpty();
        assertThat(workspace.requests()).isEmpty();
    }

    @Test
    void aDefaultRouteAtTheEndCatchesTheRest() throws Exception {
        GatewayConfig withDefault = TestConfigs.proxy()
                .upstream(Upstreams.of("anthropic", UpstreamKind.ANTHROPIC, anthropic.baseUrl(),
                        UpstreamAuth.apiKey("sk-ant")))
                .upstream(Upstreams.of("relay", UpstreamKind.ANTHROPIC, relay.baseUrl(), UpstreamAuth.none()))
                .route(route("*sonnet*", to("anthropic")))
                .route(route("*", to("relay")))
                .build();
        ProxyServer second = ProxyServer.start(withDefault, NanoClock.SYSTEM, "test");
        try {
            assertThat(Http.post(second, "/v1/messages", Http.messages("llama-3-70b")).header("x-claude-lb-upstream"))
                    .isEqualTo("relay");
            assertThat(Http.post(second, "/v1/messages", Http.messages("claude-sonnet-4-5"))
                    .header("x-claude-lb-upstream")).isEqualTo("anthropic");
        } finally {
            second.stop(Duration.ofSeconds(2));
        }
    }
}
