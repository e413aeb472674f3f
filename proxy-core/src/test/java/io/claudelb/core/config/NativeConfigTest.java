package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NativeConfigTest {
    private static final Map<String, String> ENV = Map.of("TOKEN", "tok-123", "PORT", "9001", "HOST", "0.0.0.0",
            "MODEL", "databricks-claude-opus-4-5", "EXEMPT", "/metrics", "WS", "adb-9.azuredatabricks.net");

    static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", ENV);
    }

    @Test
    void minimalFileTakesEveryDefault() {
        GatewayConfig c = parse("""
                upstreams:
                  - name: a
                    base_url: https://api.anthropic.com/
                """);
        assertThat(c.format()).isEqualTo(ConfigFormat.NATIVE);
        assertThat(c.server()).isEqualTo(ServerSettings.DEFAULTS);
        assertThat(c.admin()).isEqualTo(AdminSettings.DEFAULTS);
        assertThat(c.balancing()).isEqualTo(BalancingSettings.DEFAULTS);
        assertThat(c.health()).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(c.retry()).isEqualTo(RetrySettings.DEFAULTS);
        assertThat(c.logging()).isEqualTo(LoggingSettings.DEFAULTS);
        assertThat(c.metrics()).isEqualTo(MetricsSettings.DEFAULTS);
        assertThat(c.databricksModels()).isEqualTo(ModelMap.SEED_A);
        assertThat(c.clients()).isEmpty();
        assertThat(c.routes()).isEmpty();
        assertThat(c.notes()).isEmpty();
        UpstreamConfig u = c.upstreams().get(0);
        assertThat(u.name()).isEqualTo("a");
        assertThat(u.kind()).isEqualTo(UpstreamKind.ANTHROPIC);
        assertThat(u.baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
        assertThat(u.auth().type()).isEqualTo(AuthType.NONE);
        assertThat(u.weight()).isEqualTo(1);
        assertThat(u.priority()).isZero();
        assertThat(u.pool()).isEqualTo(PoolSettings.DEFAULTS);
        assertThat(u.timeouts()).isEqualTo(TimeoutSettings.DEFAULTS);
        assertThat(u.countTokens()).isTrue();
        assertThat(u.betas().passesAll()).isTrue();
        assertThat(u.proxy()).isNull();
    }

    @Test
    void everySectionMapsToItsRecord() {
        GatewayConfig c = parse("""
                server:
                  listen: "[::1]:8100"
                  max_request_bytes: 1MiB
                  idle_timeout: 2m
                  header_read_timeout: 5s
                  shutdown_grace: 0
                  drain_delay: 5s
                  io_threads: 2
                  max_connections: 100
                  allow_unauthenticated_remote: yes
                  auth_exempt_paths: [/health, /v1/models]
                admin: { api_key: adm }
                clients:
                  - { name: alice, key: k1 }
                  - { name: bob, key: k2 }
                upstreams:
                  - name: ws
                    kind: databricks
                    base_url: https://adb-1.azuredatabricks.net/serving-endpoints
                    weight: 3
                    priority: 2
                    auth: { type: bearer, token: "${TOKEN}" }
                    pool: { max_connections: 8, max_pending_acquires: 0, acquire_timeout: 2s, idle_timeout: 30s,
                            max_lifetime: 1h }
                    timeouts: { connect: 3s, first_byte: 4m, idle: 90s }
                    count_tokens: on
                    betas: { allow: [Interleaved-Thinking-2025-05-14] }
                    proxy: "http://me:p%40ss@proxy.corp:3128"
                  - name: relay
                    base_url: http://127.0.0.1:9999
                    auth: { type: api_key, token: t2 }
                    betas: { deny: [context-1m-2025-08-07] }
                    proxy: { url: "http://proxy.corp:8080", username: u, password: pw }
                routes:
                  - match: "*opus*"
                    strategy: priority
                    targets:
                      - { upstream: ws, model: "${MODEL}", priority: 1, weight: 5 }
                      - { upstream: relay, model: PassThrough }
                  - match: "*"
                    targets: [ { upstream: ws } ]
                balancing: { strategy: round_robin, affinity: client_key, affinity_ttl: 30m, affinity_max_entries: 10 }
                health:
                  failure_threshold: 2
                  open_for: 90s
                  half_open_probes: 3
                  retry_after_cap: 5m
                  extra_failure_statuses: [402, "520-522"]
                  failure_body_patterns: ["insufficient credits", "quota.?exceeded"]
                retry: { max_attempts: 2, stream_peek: { max_bytes: 8KiB, max_wait: 500ms } }
                logging: { level: DEBUG, format: json, file: logs/claude-lb.jsonl, access_log: false, max_file_size: 10MiB,
                           max_history: 3, total_size_cap: 100MiB }
                databricks_models:
                  rules: [ { contains: Opus, model: my-opus } ]
                  fallback: my-default
                """);
        assertThat(c.server()).isEqualTo(ServerSettings.builder().host("::1").port(8100).maxRequestBytes(1024 * 1024)
                .idleTimeout(Duration.ofMinutes(2)).headerReadTimeout(Duration.ofSeconds(5))
                .shutdownGrace(Duration.ZERO).ioThreads(2).maxConnections(100).allowUnauthenticatedRemote(true)
                .authExemptPaths(List.of("/health", "/v1/models")).drainDelay(Duration.ofSeconds(5)).build());
        assertThat(c.admin().apiKey().reveal()).isEqualTo("adm");
        assertThat(c.clients()).extracting(ClientKey::name).containsExactly("alice", "bob");
        assertThat(c.clients().get(1).key().reveal()).isEqualTo("k2");

        UpstreamConfig ws = c.upstreams().get(0);
        assertThat(ws.kind()).isEqualTo(UpstreamKind.DATABRICKS);
        assertThat(ws.weight()).isEqualTo(3);
        assertThat(ws.priority()).isEqualTo(2);
        assertThat(ws.auth().type()).isEqualTo(AuthType.BEARER);
        assertThat(ws.auth().token().reveal()).isEqualTo("tok-123");
        assertThat(ws.pool()).isEqualTo(new PoolSettings(8, 0, Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofHours(1)));
        assertThat(ws.timeouts()).isEqualTo(new TimeoutSettings(Duration.ofSeconds(3), Duration.ofMinutes(4),
                Duration.ofSeconds(90)));
        assertThat(ws.countTokens()).isTrue();
        assertThat(ws.betas().allow()).containsExactly("interleaved-thinking-2025-05-14");
        assertThat(ws.proxy().host()).isEqualTo("proxy.corp");
        assertThat(ws.proxy().port()).isEqualTo(3128);
        assertThat(ws.proxy().username()).isEqualTo("me");
        assertThat(ws.proxy().password().reveal()).isEqualTo("p@ss");

        UpstreamConfig relay = c.upstreams().get(1);
        assertThat(relay.auth().type()).isEqualTo(AuthType.API_KEY);
        assertThat(relay.betas().allow()).isNull();
        assertThat(relay.betas().deny()).containsExactly("context-1m-2025-08-07");
        assertThat(relay.proxy().port()).isEqualTo(8080);
        assertThat(relay.proxy().username()).isEqualTo("u");
        assertThat(relay.proxy().password().reveal()).isEqualTo("pw");

        assertThat(c.routes()).hasSize(2);
        RouteConfig opus = c.routes().get(0);
        assertThat(opus.match()).isEqualTo("*opus*");
        assertThat(opus.strategy()).isEqualTo(Strategy.PRIORITY);
        assertThat(opus.targets()).containsExactly(
                new TargetConfig("ws", "databricks-claude-opus-4-5", 1, 5),
                new TargetConfig("relay", TargetConfig.PASSTHROUGH, 0, 0));
        // A target with no priority takes its upstream's.
        assertThat(c.routes().get(1).targets()).containsExactly(new TargetConfig("ws", null, 2, 0));
        assertThat(c.routes().get(1).strategy()).isNull();

        assertThat(c.balancing()).isEqualTo(new BalancingSettings(Strategy.ROUND_ROBIN, AffinityMode.CLIENT_KEY,
                Duration.ofMinutes(30), 10));
        assertThat(c.health()).isEqualTo(new HealthSettings(2, Duration.ofSeconds(90), 3, Duration.ofMinutes(5),
                Set.of(402, 520, 521, 522), List.of("insufficient credits", "quota.?exceeded")));
        assertThat(c.retry()).isEqualTo(new RetrySettings(2, 8192, Duration.ofMillis(500)));
        assertThat(c.logging()).isEqualTo(new LoggingSettings("debug", LogFormat.JSON, "logs/claude-lb.jsonl", false,
                10L << 20, 3, 100L << 20));
        assertThat(c.databricksModels().map("claude-opus-4-1")).isEqualTo("my-opus");
        assertThat(c.databricksModels().map("claude-haiku-4-5")).isEqualTo("my-default");
    }

    @Test
    void healthProbesAreOffUnlessWrittenOut() {
        assertThat(HealthSettings.DEFAULTS.probe().enabled()).isFalse();
        GatewayConfig c = ConfigLoader.parse("""
                upstreams: [ { name: ws, base_url: "https://a.example" } ]
                health: { probe: { interval: 30s, timeout: 500ms } }
                """, "t.yaml", Map.of());
        assertThat(c.health().probe()).isEqualTo(new ProbeSettings(true, Duration.ofSeconds(30),
                Duration.ofMillis(500)));
        GatewayConfig off = ConfigLoader.parse("""
                upstreams: [ { name: ws, base_url: "https://a.example" } ]
                health: { probe: { enabled: false } }
                """, "t.yaml", Map.of());
        assertThat(off.health().probe().enabled()).isFalse();
    }

    @Test
    void aProbeTimeoutLongerThanItsIntervalIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                upstreams: [ { name: ws, base_url: "https://a.example" } ]
                health: { probe: { interval: 1s, timeout: 5s } }
                """, "t.yaml", Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("health.probe.timeout");
    }

    @Test
    void oldJsonFileKeyMeansJsonLinesToThatFile() {
        GatewayConfig c = ConfigLoader.parse("""
                upstreams: [ { name: ws, base_url: "https://a.example" } ]
                logging: { json_file: logs/old.jsonl }
                """, "t.yaml", Map.of());
        assertThat(c.logging().format()).isEqualTo(LogFormat.JSON);
        assertThat(c.logging().file()).isEqualTo("logs/old.jsonl");
        assertThat(c.notes()).anyMatch(n -> n.contains("logging.json_file is now logging.file"));
    }

    @Test
    void textToStandardOutputByDefault() {
        LoggingSettings d = LoggingSettings.DEFAULTS;
        assertThat(d.format()).isEqualTo(LogFormat.TEXT);
        assertThat(d.file()).isNull();
        assertThat(d.maxFileBytes()).isEqualTo(100L << 20);
    }

    @Test
    void expansionReachesEveryNestedString() {
        GatewayConfig c = parse("""
                server:
                  host: "${HOST}"
                  port: "${PORT}"
                  auth_exempt_paths: ["/health", "${EXEMPT}"]
                clients: [ { name: "team-${PORT}", key: "${TOKEN}" } ]
                upstreams:
                  - name: ws
                    kind: databricks
                    base_url: "https://${WS}/serving-endpoints"
                    weight: ${WEIGHT:-4}
                    auth: { type: bearer, token: "Bearer-less ${TOKEN}" }
                    timeouts: { first_byte: "${FIRST_BYTE:-7m}" }
                routes:
                  - match: "${PATTERN:-*}"
                    targets: [ { upstream: ws, model: "${MODEL}" } ]
                health: { extra_failure_statuses: ["${EXTRA:-402}"] }
                logging: { level: "${LOG_LEVEL:-warn}" }
                """);
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(9001);
        assertThat(c.server().authExemptPaths()).containsExactly("/health", "/metrics");
        assertThat(c.clients().get(0).name()).isEqualTo("team-9001");
        assertThat(c.clients().get(0).key().reveal()).isEqualTo("tok-123");
        UpstreamConfig ws = c.upstreams().get(0);
        assertThat(ws.baseUrl()).isEqualTo(URI.create("https://adb-9.azuredatabricks.net/serving-endpoints"));
        assertThat(ws.weight()).isEqualTo(4);
        assertThat(ws.auth().token().reveal()).isEqualTo("Bearer-less tok-123");
        assertThat(ws.timeouts().firstByte()).isEqualTo(Duration.ofMinutes(7));
        assertThat(c.routes().get(0).match()).isEqualTo("*");
        assertThat(c.routes().get(0).targets().get(0).model()).isEqualTo("databricks-claude-opus-4-5");
        assertThat(c.health().extraFailureStatuses()).containsExactly(402);
        assertThat(c.logging().level()).isEqualTo("warn");
    }

    @Test
    void optionalKeyLeftEmptyByAVariableIsNoted() {
        GatewayConfig c = parse("""
                admin: { api_key: "${ADMIN_KEY}" }
                upstreams: [ { name: a, base_url: "http://localhost:1" } ]
                """);
        assertThat(c.admin().apiKey().isEmpty()).isTrue();
        assertThat(c.notes()).containsExactly(
                "admin.api_key: environment variable ADMIN_KEY is not set; the value is empty");
    }

    @Test
    void scalarsStayTextSoTokensAreNotMangled() {
        GatewayConfig c = parse("""
                upstreams:
                  - { name: on, base_url: "http://h:1", auth: { type: api_key, token: 0x1F } }
                  - { name: "012345", base_url: "http://h:2", auth: { type: bearer, token: 1_000 } }
                """);
        assertThat(c.upstreams().get(0).name()).isEqualTo("on");
        assertThat(c.upstreams().get(0).auth().token().reveal()).isEqualTo("0x1F");
        assertThat(c.upstreams().get(1).name()).isEqualTo("012345");
        assertThat(c.upstreams().get(1).auth().token().reveal()).isEqualTo("1_000");
    }

    @Test
    void yamlAnchorsAndMergeKeysWork() {
        GatewayConfig c = parse("""
                upstreams:
                  - { name: a, base_url: "http://h:1", pool: &pool { max_connections: 16 } }
                  - { name: b, base_url: "http://h:2", pool: { <<: *pool, idle_timeout: 5s } }
                """);
        assertThat(c.upstreams().get(0).pool().maxConnections()).isEqualTo(16);
        assertThat(c.upstreams().get(1).pool().maxConnections()).isEqualTo(16);
        assertThat(c.upstreams().get(1).pool().idleTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void listenAlternatives() {
        assertThat(parse("server: { host: 0.0.0.0, port: 8080 }\nupstreams: [ { name: a, base_url: 'http://h:1' } ]")
                .server().port()).isEqualTo(8080);
        GatewayConfig bare = parse("server: { listen: 8081 }\nupstreams: [ { name: a, base_url: 'http://h:1' } ]");
        assertThat(bare.server().host()).isEqualTo("127.0.0.1");
        assertThat(bare.server().port()).isEqualTo(8081);
    }

    @Test
    void kindDecidesCountTokensDefault() {
        GatewayConfig c = parse("""
                upstreams:
                  - { name: a, kind: anthropic, base_url: "http://h:1" }
                  - { name: d, kind: databricks, base_url: "http://h:2" }
                  - { name: o, kind: openai, base_url: "http://h:3" }
                  - { name: d2, kind: databricks, base_url: "http://h:4", count_tokens: true }
                """);
        assertThat(c.upstreams()).extracting(UpstreamConfig::countTokens).containsExactly(true, false, false, true);
    }

    @Test
    void openAiDialectIsReadForOpenAiUpstreams() {
        GatewayConfig c = parse("""
                upstreams:
                  - name: openrouter
                    kind: openai
                    base_url: https://openrouter.ai/api/v1
                    openai: { max_completion_tokens: true, reasoning_param: reasoning.effort, user_max_length: 64 }
                  - { name: vllm, kind: openai, base_url: "http://h:3" }
                  - { name: a, base_url: "http://h:4" }
                """);
        assertThat(c.upstreams().get(0).openai()).isEqualTo(new OpenAiSettings(true, "reasoning.effort", 64));
        assertThat(c.upstreams().get(0).messagesPath()).isEqualTo("/api/v1/chat/completions");
        assertThat(c.upstreams().get(1).openai()).isEqualTo(OpenAiSettings.DEFAULTS);
        assertThat(c.upstreams().get(2).openai()).isEqualTo(OpenAiSettings.DEFAULTS);
        assertThat(OpenAiSettings.DEFAULTS).isEqualTo(new OpenAiSettings(false, null, 128));
        assertThat(ConfigDescriber.describe(c)).contains("openai: max_completion_tokens, thinking -> "
                + "reasoning.effort, user up to 64 chars", "openai: max_tokens, thinking dropped, user up to 128 chars");
    }

    @Test
    void authTypesAndDatabricksTokenUrl() {
        GatewayConfig c = parse("""
                upstreams:
                  - name: m2m
                    kind: databricks
                    base_url: https://adb-7.azuredatabricks.net:8443/serving-endpoints
                    auth: { type: databricks_oauth, client_id: cid, client_secret: cs }
                  - name: m2m-explicit
                    kind: databricks
                    base_url: https://adb-8.azuredatabricks.net/serving-endpoints
                    auth: { type: databricks_oauth, client_id: cid, client_secret: cs,
                            token_url: "https://login.example/token" }
                  - name: refresh
                    base_url: https://relay.example
                    auth: { type: oauth_refresh, refresh_token: rt, token_url: "https://auth.example/token" }
                  - name: pass
                    base_url: https://api.anthropic.com
                    auth: { type: passthrough }
                """);
        UpstreamAuth m2m = c.upstreams().get(0).auth();
        assertThat(m2m.type()).isEqualTo(AuthType.DATABRICKS_OAUTH);
        assertThat(m2m.clientId().reveal()).isEqualTo("cid");
        assertThat(m2m.clientSecret().reveal()).isEqualTo("cs");
        assertThat(m2m.tokenUrl()).isEqualTo(URI.create("https://adb-7.azuredatabricks.net:8443/oidc/v1/token"));
        assertThat(c.upstreams().get(1).auth().tokenUrl()).isEqualTo(URI.create("https://login.example/token"));
        UpstreamAuth refresh = c.upstreams().get(2).auth();
        assertThat(refresh.type()).isEqualTo(AuthType.OAUTH_REFRESH);
        assertThat(refresh.refreshToken().reveal()).isEqualTo("rt");
        assertThat(refresh.tokenUrl()).isEqualTo(URI.create("https://auth.example/token"));
        assertThat(c.upstreams().get(3).auth().type()).isEqualTo(AuthType.PASSTHROUGH);
    }

    @Test
    void disabledUpstreamsAndTheirTargetsAreLeftOut() {
        GatewayConfig c = parse("""
                upstreams:
                  - { name: a, base_url: "http://h:1" }
                  - { name: b, enabled: false, base_url: "${UNSET_URL}", auth: { type: bearer, token: "${UNSET}" } }
                routes:
                  - match: "*opus*"
                    targets: [ { upstream: b }, { upstream: a } ]
                  - match: "*haiku*"
                    targets: [ { upstream: b } ]
                """);
        assertThat(c.upstreams()).extracting(UpstreamConfig::name).containsExactly("a");
        assertThat(c.routes()).hasSize(1);
        assertThat(c.routes().get(0).targets()).extracting(TargetConfig::upstream).containsExactly("a");
        assertThat(c.notes()).containsExactly(
                "upstreams[1] (b): enabled: false, left out",
                "routes[0].targets[0].upstream: upstream 'b' is disabled; target left out",
                "routes[1].targets[0].upstream: upstream 'b' is disabled; target left out",
                "routes[1] (*haiku*): every target is disabled; route left out");
    }

    @Test
    void metricsSectionTakesATokenFromTheEnvironmentOrTurnsTheEndpointOff() {
        GatewayConfig withToken = ConfigLoader.parse("""
                upstreams: [ { name: a, base_url: "https://api.anthropic.com" } ]
                metrics: { enabled: true, token: "${METRICS_TOKEN:-}" }
                """, "test.yaml", Map.of("METRICS_TOKEN", "scrape-me"));
        assertThat(withToken.metrics().enabled()).isTrue();
        assertThat(withToken.metrics().token().matches("scrape-me")).isTrue();
        GatewayConfig unset = ConfigLoader.parse("""
                upstreams: [ { name: a, base_url: "https://api.anthropic.com" } ]
                metrics: { token: "${METRICS_TOKEN:-}" }
                """, "test.yaml", Map.of());
        assertThat(unset.metrics()).isEqualTo(MetricsSettings.DEFAULTS);
        GatewayConfig off = parse("""
                upstreams: [ { name: a, base_url: "https://api.anthropic.com" } ]
                metrics: { enabled: false }
                """);
        assertThat(off.metrics().enabled()).isFalse();
    }
}
