package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigDescriberTest {
    @Test
    void describesTheReferenceConfig() throws IOException {
        String text = ConfigDescriber.describe(ConfigFiles.load("claude-lb.yaml"));
        assertThat(text).contains(
                "Format: native",
                "Listen: 127.0.0.1:8000 (this machine only)",
                "Client keys: alice; exempt paths /health",
                "Admin key: set",
                "Upstreams (8):",
                "  ws-east: databricks https://adb-1111111111111111.11.azuredatabricks.net/serving-endpoints",
                "    auth bearer, weight 1, priority 0, pool max 256 per event loop (acquire 10s), timeouts connect 10s "
                        + "/ first byte 10m / idle 5m",
                "    auth databricks_oauth,",
                "    count_tokens relayed, betas all but context-1m-2025-08-07, proxy none",
                "    count_tokens relayed, betas all forwarded, proxy proxy.corp.example:3128",
                "Routes (first match wins; a model matching none gets 404):",
                "  *opus*  [least_requests]\n"
                        + "    -> ws-east: model databricks-claude-opus-4-5, priority 0, weight 1\n"
                        + "    -> ws-west: model databricks mapping, priority 0, weight 1\n",
                "  *sonnet*  [priority]\n"
                        + "    -> anthropic: model passthrough, priority 0, weight 1\n"
                        + "    -> relay: model passthrough, priority 1, weight 1\n",
                "  openrouter: openai https://openrouter.ai/api/v1",
                "    openai: max_tokens, thinking -> reasoning.effort, user up to 128 chars",
                "  gpt-*  [least_requests, the default]\n    -> openrouter: model openai/gpt-5",
                "  *  [least_requests, the default]\n    -> relay: model passthrough",
                "Balancing: strategy least_requests; affinity session (idle ttl 1h, at most 100000 bindings)",
                "Databricks model mapping: databricks-* unchanged; a Claude name -> databricks-claude-<family>-<version>",
                "without family and version: contains 'opus' -> databricks-claude-opus-4-5",
                "Health: an upstream's breaker opens after 5 consecutive failures, stays open 1m, then admits 1 probe;"
                        + " retry-after honoured up to 1m",
                "Retry: up to 3 upstreams per request, before the first byte; stream peek 16KiB / 10s",
                "Metrics: GET /metrics for loopback callers and the admin key",
                "Logging: level info, text to standard output, access log on",
                "Notes:\n  - upstreams[5] (own-credentials): enabled: false, left out");
    }

    @Test
    void showsTheImplicitCatchAllRouteAndSeedNotes() throws IOException {
        String text = ConfigDescriber.describe(ConfigFiles.load("examples/seed-a-config.yaml"));
        assertThat(text).contains(
                "Format: seed A config.yaml",
                "Client keys: default;",
                "Routes: none configured, so one catch-all route sends every model to every upstream:\n"
                        + "  *  [least_requests, the default]\n"
                        + "    -> workspace-1: model databricks mapping, priority 0, weight 1\n"
                        + "    -> workspace-2: model databricks mapping, priority 0, weight 1\n",
                "  - load_balancer.circuit_breaker_timeout -> health.open_for (1m, then one probe request decides)");
    }

    @Test
    void showsHealthDetailsAndListenScope() throws IOException {
        GatewayConfig c = ConfigLoader.parse(resource("seed-b-full.yaml"), "full.yaml", Map.of("BALANCER_KEY", "bk"));
        String text = ConfigDescriber.describe(c);
        assertThat(text).contains(
                "Format: seed B config.yaml",
                "Listen: 0.0.0.0:9191 (reachable from other machines)",
                "  extra failure statuses: 402-404, 408, 429, 500, 502-504, 520-524",
                "  failure body pattern: insufficient credits",
                "  GAC: anthropic https://gaccode.com/claudecode",
                "proxy proxy.corp:3128 (with credentials)",
                "  claude-3*  [round_robin, the default]");
    }

    @Test
    void neverPrintsASecret() throws IOException {
        Map<String, String> env = Map.of("BALANCER_KEY", "bk-secret-5");
        List<String> texts = List.of(
                ConfigDescriber.describe(ConfigFiles.load("claude-lb.yaml")),
                ConfigDescriber.describe(ConfigFiles.load("examples/seed-a-config.yaml")),
                ConfigDescriber.describe(ConfigFiles.load("examples/seed-b-config.yaml")),
                ConfigDescriber.describe(ConfigFiles.load("examples/seed-b-providers.yaml")),
                ConfigDescriber.describe(ConfigLoader.parse(resource("seed-b-full.yaml"), "full.yaml", env)),
                ConfigDescriber.describe(ConfigLoader.parse("""
                        auth: { api_key: sk_xxx //可以自己定义 }
                        endpoints: [ { name: w, api_base: "https://h/x", token: "dapi-slash //note" } ]
                        """, "a.yaml", Map.of())),
                ConfigDescriber.describe(ConfigLoader.parse("""
                        admin: { api_key: admin-secret-9 }
                        upstreams:
                          - { name: m2m, kind: databricks, base_url: "https://h/x",
                              auth: { type: databricks_oauth, client_id: cid-secret-10, client_secret: cs-secret-11 } }
                          - { name: r, base_url: "https://h/y", proxy: { url: "http://p:1", username: puser-12,
                              password: ppass-13 },
                              auth: { type: oauth_refresh, refresh_token: rt-secret-14, token_url: "https://t/x" } }
                        """, "n.yaml", Map.of())));
        Set<String> secrets = new java.util.HashSet<>(ConfigFiles.ENV.values());
        secrets.addAll(List.of("bk-secret-5", "sk-gac-secret-1", "pw-secret-2", "relay-secret-3", "sk-or-secret-4",
                "dapi_xxx", "dapi_yyy", "your-api-key", "your-api-key-here", "sk-or-your-key", "sk-ant-your-actual",
                "your-auth-token-here", "sk-your-key-here", "sk_xxx", "可以自己定义", "dapi-slash", "admin-secret-9",
                "cid-secret-10", "cs-secret-11", "puser-12", "ppass-13", "rt-secret-14"));
        for (String text : texts) {
            for (String secret : secrets) {
                assertThat(text).as("describe() output").doesNotContain(secret);
            }
        }
        // The check above must be able to fail: the values really are in the loaded records.
        assertThat(ConfigFiles.load("claude-lb.yaml").clients().get(0).key().reveal())
                .isEqualTo(ConfigFiles.ENV.get("ALICE_KEY"));
    }

    @Test
    void statusRangesAreCompact() {
        assertThat(ConfigDescriber.ranges(Set.of(402, 520, 521, 522, 524, 100))).isEqualTo("100, 402, 520-522, 524");
        assertThat(ConfigDescriber.ranges(Set.of())).isEmpty();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ConfigDescriberTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
