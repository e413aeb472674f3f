package io.claudelb.core.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The router's default target models per kind, with a workspace's discovered endpoints injected. */
class CloudRouterTest {
    private static final GatewayConfig CONFIG = ConfigLoader.parse("""
            upstreams:
              - { name: ws, kind: databricks, base_url: "https://adb-1.azuredatabricks.net/serving-endpoints" }
              - { name: br, kind: bedrock, region: us-east-1 }
              - { name: vx, kind: vertex, project: p-1, region: us-east5 }
              - { name: an, base_url: "https://api.anthropic.com" }
            routes:
              - match: "*"
                targets: [ { upstream: ws }, { upstream: br }, { upstream: vx }, { upstream: an },
                           { upstream: br, model: "eu.anthropic.claude-opus-4-5-20251101-v1:0" } ]
            """, "t.yaml", Map.of());

    @Test
    void eachKindGetsItsOwnNameForTheRequestedModel() {
        DiscoveredModels discovered = new DiscoveredModels();
        Router router = new Router(CONFIG, discovered);
        RouteDecision d = router.route("claude-opus-4-7-20260101");
        assertThat(d.targets()).extracting(Target::model).containsExactly("databricks-claude-opus-4-7",
                "global.anthropic.claude-opus-4-5-20251101-v1:0", "claude-opus-4-7@20260101", null,
                "eu.anthropic.claude-opus-4-5-20251101-v1:0");
        // The discovery task's next listing changes the next request's target, without a new router.
        discovered.update("ws", Set.of("databricks-claude-opus-4-6", "databricks-claude-opus-4-5"));
        assertThat(router.route("claude-opus-4-7-20260101").target("ws").model())
                .isEqualTo("databricks-claude-opus-4-6");
        assertThat(new Router(CONFIG).route("claude-opus-4-7").target("ws").model())
                .isEqualTo("databricks-claude-opus-4-7");
    }
}
