package io.claudelb.server.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DatabricksApi;
import io.claudelb.core.config.DatabricksSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Databricks endpoint discovery end to end: the proxy lists a mock workspace's serving endpoints with the
 * workspace's own credential, and that listing decides each request's target model (the exact version, else the
 * newest of the family), for the serving-endpoints API and the AI Gateway alike; /providers and /v1/models show it.
 */
class DatabricksDiscoveryTest {
    private MockUpstream workspace;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        workspace = MockUpstream.start(MockOptions.builder().name("ws").build());
        workspace.cloud().setServingEndpoints(List.of("databricks-claude-opus-4-5", "databricks-claude-opus-4-6",
                "databricks-claude-sonnet-4-6", "databricks-gte-large-en"));
        URI base = URI.create(workspace.baseUrl() + "/serving-endpoints");
        UpstreamConfig ws = UpstreamConfig.builder("ws", UpstreamKind.DATABRICKS).baseUrl(base)
                .auth(UpstreamAuth.bearer("dapi-ws")).countTokens(true).build();
        UpstreamConfig gateway = UpstreamConfig.builder("gw", UpstreamKind.DATABRICKS).baseUrl(workspace.baseUrl())
                .auth(UpstreamAuth.bearer("dapi-gw")).countTokens(true)
                .databricks(new DatabricksSettings(true, DatabricksApi.AI_GATEWAY, Duration.ofMinutes(5))).build();
        proxy = ProxyServer.start(TestConfigs.proxy().upstream(ws).upstream(gateway).build(), NanoClock.SYSTEM,
                "test");
        Await.until("both workspaces listed", () -> proxy.gateway().discovered().served("ws") != null
                && proxy.gateway().discovered().served("gw") != null, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        workspace.close();
    }

    private RecordedRequest send(String model, String upstream) {
        workspace.clearRequests();
        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages(model, false), "x-claude-lb-upstream: " + upstream));
        assertThat(r.status).isEqualTo(200);
        return workspace.requests().get(0);
    }

    @Test
    void theListingDecidesTheTargetModel() {
        assertThat(workspace.cloud().endpointListings()).isGreaterThanOrEqualTo(2);
        assertThat(workspace.cloud().lastListingAuthorization()).startsWith("Bearer dapi-");
        assertThat(proxy.gateway().discovered().served("ws")).contains("databricks-claude-opus-4-6");
        // The exact version when the workspace serves it, date dropped.
        assertThat(Json.field(send("claude-opus-4-5-20251101", "ws").bodyText(), "model"))
                .isEqualTo("databricks-claude-opus-4-5");
        // A version it lacks: the newest of the family it has.
        assertThat(Json.field(send("claude-opus-4-8", "ws").bodyText(), "model"))
                .isEqualTo("databricks-claude-opus-4-6");
        assertThat(Json.field(send("claude-sonnet-4-5", "ws").bodyText(), "model"))
                .isEqualTo("databricks-claude-sonnet-4-6");
        // The AI Gateway: its own path, the same models as system.ai.*.
        RecordedRequest viaGateway = send("claude-opus-4-7", "gw");
        assertThat(viaGateway.uri()).isEqualTo("/ai-gateway/anthropic/v1/messages");
        assertThat(Json.field(viaGateway.bodyText(), "model")).isEqualTo("system.ai.claude-opus-4-6");
    }

    @Test
    void providersAndModelsShowWhatWasDiscovered() {
        RawHttpClient.Response providers = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/providers"));
        assertThat(providers.bodyText()).contains("\"databricks\":{\"api\":\"serving_endpoints\",\"discover\":true,"
                + "\"served_endpoints\":[\"databricks-claude-opus-4-5\",\"databricks-claude-opus-4-6\","
                + "\"databricks-claude-sonnet-4-6\",\"databricks-gte-large-en\"]}");
        RawHttpClient.Response models = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/v1/models?limit=50"));
        assertThat(models.bodyText()).contains("\"id\":\"claude-opus-4-6\"", "\"id\":\"claude-sonnet-4-6\"")
                .doesNotContain("gte-large");
    }

    @Test
    void checkConfigDiscoverListsEachWorkspaceAndSaysWhereFamiliesGo() {
        workspace.cloud().setServingEndpoints(List.of("databricks-claude-opus-4-9", "databricks-claude-haiku-4-5"));
        String report = DiscoveryReport.describe(proxy.gateway().snapshot().config());
        assertThat(report).contains("Discovery (2 workspaces):",
                "  ws: 2 endpoint(s): databricks-claude-haiku-4-5, databricks-claude-opus-4-9",
                "    opus: a missing version goes to databricks-claude-opus-4-9",
                "    sonnet: none served (a request asks for its exact name)");
        UpstreamConfig gone = UpstreamConfig.builder("gone", UpstreamKind.DATABRICKS).baseUrl("http://127.0.0.1:9")
                .auth(UpstreamAuth.bearer("x")).countTokens(true).build();
        assertThat(DiscoveryReport.describe(TestConfigs.proxy().upstream(gone).build()))
                .contains("gone: not listed (").contains("routing by family and version");
    }
}
