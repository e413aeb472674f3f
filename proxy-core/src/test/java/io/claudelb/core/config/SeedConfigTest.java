package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SeedConfigTest {
    private static GatewayConfig parse(String yaml, Map<String, String> env) {
        return ConfigLoader.parse(yaml, "seed.yaml", env);
    }

    private static ConfigException error(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> parse(yaml, Map.of()));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SeedConfigTest.class.getResourceAsStream("/config/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void seedAExampleMapsToDatabricksUpstreams() throws IOException {
        GatewayConfig c = ConfigFiles.load("examples/seed-a-config.yaml");
        assertThat(c.format()).isEqualTo(ConfigFormat.SEED_A);
        assertThat(c.upstreams()).hasSize(2);
        UpstreamConfig w1 = c.upstreams().get(0);
        assertThat(w1.name()).isEqualTo("workspace-1");
        assertThat(w1.kind()).isEqualTo(UpstreamKind.DATABRICKS);
        assertThat(w1.baseUrl()).isEqualTo(URI.create("https://adb-xxx.azuredatabricks.net/serving-endpoints"));
        assertThat(w1.messagesPath()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(w1.auth().type()).isEqualTo(AuthType.BEARER);
        assertThat(w1.auth().token().reveal()).isEqualTo("dapi_xxx");
        assertThat(w1.weight()).isEqualTo(1);
        assertThat(w1.countTokens()).isFalse();
        assertThat(c.upstreams().get(1).auth().token().reveal()).isEqualTo("dapi_yyy");
        assertThat(c.clients()).hasSize(1);
        assertThat(c.clients().get(0).name()).isEqualTo("default");
        assertThat(c.clients().get(0).key().reveal()).isEqualTo("your-api-key");
        assertThat(c.balancing().strategy()).isEqualTo(Strategy.LEAST_REQUESTS);
        assertThat(c.health().failureThreshold()).isEqualTo(5);
        assertThat(c.health().openFor()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.routes()).isEmpty();
        assertThat(c.databricksModels()).isEqualTo(ModelMap.SEED_A);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8000);
        assertThat(c.server().allowUnauthenticatedRemote()).isFalse();
        assertThat(c.notes()).contains(
                "load_balancer.circuit_breaker_threshold -> health.failure_threshold (5 consecutive failures; "
                        + "seed A counted every error since the last trip)",
                "endpoints[].api_base -> upstreams[].base_url");
        assertThat(c.notes()).anyMatch(n -> n.startsWith("server.listen: 127.0.0.1:8000") && n.contains("--host 0.0.0.0")
                && n.contains("callers must then present auth.api_key"));
    }

    @Test
    void seedAStrategiesThresholdsAndEnvironment() {
        GatewayConfig c = parse("""
                load_balancer: { strategy: weighted, circuit_breaker_threshold: 3, circuit_breaker_timeout: 120 }
                auth: { api_key: "${LB_KEY}" }
                endpoints:
                  - { name: w1, api_base: "https://${WS1}/serving-endpoints/", token: "${DATABRICKS_TOKEN}", weight: 2 }
                """, Map.of("WS1", "adb-1.net", "DATABRICKS_TOKEN", "dapi-env", "LB_KEY", "k"));
        assertThat(c.balancing().strategy()).isEqualTo(Strategy.RANDOM);
        assertThat(c.notes()).contains("load_balancer.strategy -> balancing.strategy (random; seed A treated "
                + "'weighted' as random)");
        assertThat(c.health().failureThreshold()).isEqualTo(3);
        assertThat(c.health().openFor()).isEqualTo(Duration.ofMinutes(2));
        UpstreamConfig w1 = c.upstreams().get(0);
        assertThat(w1.baseUrl()).isEqualTo(URI.create("https://adb-1.net/serving-endpoints"));
        assertThat(w1.auth().token().reveal()).isEqualTo("dapi-env");
        assertThat(w1.weight()).isEqualTo(2);
        assertThat(parse("load_balancer: { strategy: round_robin }\nendpoints: [ { name: a, api_base: 'http://h:1',"
                + " token: t } ]", Map.of()).balancing().strategy()).isEqualTo(Strategy.ROUND_ROBIN);
    }

    @Test
    void seedASlashCommentStaysInTheKeyWithAWarning() {
        GatewayConfig c = parse("""
                auth:
                  api_key: sk_xxx //可以自己定义
                endpoints:
                  - { name: w1, api_base: "https://adb-1.net/serving-endpoints", token: dapi }
                """, Map.of());
        assertThat(c.clients().get(0).key().reveal()).isEqualTo("sk_xxx //可以自己定义");
        assertThat(c.notes()).anyMatch(n -> n.startsWith("auth.api_key: the value contains ' //'")
                && !n.contains("sk_xxx"));
    }

    @Test
    void seedAWithoutApiKeyHasNoClientKeys() {
        GatewayConfig c = parse("auth: { api_key: \"\" }\nendpoints: [ { name: a, api_base: 'http://h:1', token: t } ]",
                Map.of());
        assertThat(c.clients()).isEmpty();
        assertThat(c.notes()).anyMatch(n -> n.startsWith("auth.api_key is empty -> no client keys"));
        assertThat(c.notes()).anyMatch(n -> n.startsWith("server.listen:") && n.contains("refuses to"));
    }

    @Test
    void seedAErrorsUseSeedAKeyNames() {
        ConfigException noBase = error("endpoints: [ { name: a, token: t } ]");
        assertThat(noBase.getMessage()).isEqualTo("endpoints[0].api_base: is required");
        ConfigException badBase = error("endpoints: [ { name: a, token: t, api_base: 'adb-1.net' } ]");
        assertThat(badBase.key()).isEqualTo("endpoints[0].api_base");
        ConfigException noToken = catchThrowableOfType(ConfigException.class, () -> parse(
                "endpoints: [ { name: a, api_base: 'http://h:1', token: '${DATABRICKS_TOKEN}' } ]", Map.of()));
        assertThat(noToken.getMessage())
                .isEqualTo("endpoints[0].token: is empty (environment variable DATABRICKS_TOKEN is not set)");
        assertThat(error("load_balancer: { circuit_breaker_threshold: 0 }\n"
                + "endpoints: [ { name: a, api_base: 'http://h:1', token: t } ]").key())
                .isEqualTo("load_balancer.circuit_breaker_threshold");
        assertThat(error("load_balancer: {}").getMessage())
                .isEqualTo("endpoints: must list at least one endpoint (name, api_base, token)");
    }

    @Test
    void seedBExampleMapsProvidersAndRoutes() throws IOException {
        GatewayConfig c = ConfigFiles.load("examples/seed-b-config.yaml");
        assertThat(c.format()).isEqualTo(ConfigFormat.SEED_B);
        assertThat(c.upstreams()).extracting(UpstreamConfig::name).containsExactly("GAC", "OpenRouter", "Together");
        UpstreamConfig gac = c.upstreams().get(0);
        assertThat(gac.kind()).isEqualTo(UpstreamKind.ANTHROPIC);
        assertThat(gac.baseUrl()).isEqualTo(URI.create("https://gaccode.com/claudecode"));
        assertThat(gac.auth().type()).isEqualTo(AuthType.API_KEY);
        assertThat(gac.auth().token().reveal()).isEqualTo("your-api-key-here");
        UpstreamConfig openRouter = c.upstreams().get(1);
        assertThat(openRouter.kind()).isEqualTo(UpstreamKind.OPENAI);
        assertThat(openRouter.auth().type()).isEqualTo(AuthType.BEARER);
        assertThat(c.upstreams().get(2).auth().token().reveal()).isEqualTo(ConfigFiles.ENV.get("TOGETHER_API_KEY"));
        assertThat(c.routes()).extracting(RouteConfig::match).containsExactly("*sonnet*", "*haiku*");
        assertThat(c.routes().get(0).targets()).containsExactly(
                new TargetConfig("GAC", TargetConfig.PASSTHROUGH, 1, 0),
                new TargetConfig("OpenRouter", "anthropic/claude-3.5-sonnet", 2, 0));
        assertThat(c.routes().get(1).targets()).containsExactly(
                new TargetConfig("Together", "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", 1, 0),
                new TargetConfig("GAC", TargetConfig.PASSTHROUGH, 2, 0));
        assertThat(c.balancing().strategy()).isEqualTo(Strategy.PRIORITY);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(9090);
        assertThat(c.clients()).isEmpty();
        assertThat(c.logging().level()).isEqualTo("info");
        assertThat(c.notes()).contains(
                "settings.cooldown_seconds: ignored (seed B did not read it either; failure_cooldown is the key)",
                "balancing.strategy: priority (seed B's default selection_strategy)");
    }

    @Test
    void seedBFullSettingsMapOntoNativeRecords() throws IOException {
        GatewayConfig c = parse(resource("seed-b-full.yaml"), Map.of("BALANCER_KEY", "bk-secret-5"));
        assertThat(c.format()).isEqualTo(ConfigFormat.SEED_B);
        assertThat(c.upstreams()).extracting(UpstreamConfig::name).containsExactly("GAC", "Relay", "Mine",
                "OpenRouter");
        UpstreamConfig gac = c.upstreams().get(0);
        assertThat(gac.proxy().host()).isEqualTo("proxy.corp");
        assertThat(gac.proxy().port()).isEqualTo(3128);
        assertThat(gac.proxy().username()).isEqualTo("corp");
        assertThat(gac.proxy().password().reveal()).isEqualTo("pw-secret-2");
        assertThat(gac.timeouts()).isEqualTo(new TimeoutSettings(Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofSeconds(90)));
        assertThat(gac.pool().acquireTimeout()).isEqualTo(Duration.ofSeconds(40));
        assertThat(c.upstreams().get(1).auth()).isEqualTo(UpstreamAuth.bearer("relay-secret-3"));
        assertThat(c.upstreams().get(2).auth().type()).isEqualTo(AuthType.PASSTHROUGH);
        assertThat(c.upstreams().get(3).auth()).isEqualTo(UpstreamAuth.bearer("sk-or-secret-4"));

        // Exact names first, then patterns in file order; disabled, unknown and switched-off targets left out.
        assertThat(c.routes()).extracting(RouteConfig::match)
                .containsExactly("claude-3-5-haiku-20241022", "*sonnet*", "claude-3*", "*");
        assertThat(c.routes().get(0).targets()).containsExactly(
                new TargetConfig("Relay", "claude-3-5-haiku-latest", 1, 0));
        assertThat(c.routes().get(1).targets()).extracting(TargetConfig::upstream).containsExactly("GAC",
                "OpenRouter");
        assertThat(c.routes().get(2).targets()).containsExactly(new TargetConfig("Mine", TargetConfig.PASSTHROUGH,
                1, 0));

        assertThat(c.balancing()).isEqualTo(new BalancingSettings(Strategy.ROUND_ROBIN, AffinityMode.SESSION,
                Duration.ofMinutes(5), BalancingSettings.DEFAULTS.affinityMaxEntries()));
        HealthSettings h = c.health();
        assertThat(h.failureThreshold()).isEqualTo(2);
        assertThat(h.openFor()).isEqualTo(Duration.ofMinutes(5));
        assertThat(h.extraFailureStatuses()).isEqualTo(Set.of(402, 403, 404, 408, 429, 500, 502, 503, 504, 520, 521,
                522, 523, 524));
        assertThat(h.failureBodyPatterns()).hasSize(7);
        assertThat(h.failureBodyPatterns().get(3)).isEqualTo("(?<reason>no available) token");
        assertThat(h.failureBodyPatterns().get(6)).isEqualTo(Pattern.quote("[unclosed"));
        assertThat(Pattern.compile(h.failureBodyPatterns().get(4), Pattern.CASE_INSENSITIVE)
                .matcher("{\"type\": \"error\"}").find()).isTrue();
        assertThat(Pattern.compile(h.failureBodyPatterns().get(6)).matcher("x [unclosed y").find()).isTrue();

        assertThat(c.clients()).hasSize(1);
        assertThat(c.clients().get(0).name()).isEqualTo("default");
        assertThat(c.clients().get(0).key().reveal()).isEqualTo("bk-secret-5");
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(9191);
        assertThat(c.server().authExemptPaths()).containsExactly("/health", "/docs", "/redoc", "/openapi.json");
        assertThat(c.logging()).isEqualTo(new LoggingSettings("warn", LogFormat.JSON, "logs/logs.jsonl", true,
                LoggingSettings.DEFAULTS.maxFileBytes(), LoggingSettings.DEFAULTS.maxHistory(),
                LoggingSettings.DEFAULTS.totalCap()));

        assertThat(c.notes()).contains(
                "settings.unhealthy_exception_patterns: ignored: transport errors (connect, TLS, timeouts, resets) "
                        + "always count as upstream failures in claude-lb",
                "settings.unhealthy_threshold -> health.failure_threshold (2)",
                "settings.failure_cooldown -> health.open_for (5m)",
                "settings.selection_strategy -> balancing.strategy (round_robin)",
                "settings.sticky_provider_duration -> balancing.affinity session, affinity_ttl 5m (seed B kept one "
                        + "global sticky provider; claude-lb keeps each session on its upstream)",
                "settings.timeouts.caching: ignored (de-duplication timeouts)",
                "providers[4] (Claude Code Official): enabled: false, left out",
                "model_routes['*sonnet*'][2].provider: provider 'Claude Code Official' is disabled; target left out, "
                        + "as seed B skipped it",
                "model_routes['claude-3*']: matched against the whole model name (seed B matched it anywhere inside "
                        + "the name)",
                "model_routes['claude-3*'][2]: enabled: false, target left out",
                "providers[].streaming_mode: ignored; claude-lb relays every stream as it arrives");
        assertThat(c.notes()).anyMatch(n -> n.startsWith("settings.unhealthy_response_body_patterns[6]: not a valid "
                + "regular expression"));
        assertThat(c.notes()).anyMatch(n -> n.startsWith("model_routes['claude-3*'][1].provider: no provider named "
                + "'Typo'"));
        for (String ignored : List.of("oauth", "testing", "reload", "app_name", "log_color")) {
            assertThat(c.notes()).anyMatch(n -> n.startsWith("settings." + ignored + ": ignored"));
        }
        // Seed B's de-duplication maps onto in-flight coalescing.
        assertThat(c.dedup().enabled()).isTrue();
        assertThat(c.notes()).contains("settings.deduplication -> dedup (enabled true)",
                "settings.deduplication.include_max_tokens_in_signature: ignored: claude-lb's key covers the whole "
                        + "request body",
                "settings.deduplication.sse_error_cleanup_delay: ignored: a call that failed is never shared; see "
                        + "dedup.linger");
    }

    @Test
    void seedBOauthProvidersAreRefusedWithAnExplanation() {
        ConfigException e = error("""
                providers:
                  - { name: cc, type: anthropic, base_url: "https://api.anthropic.com", auth_type: oauth,
                      auth_value: oauth }
                """);
        assertThat(e.key()).isEqualTo("providers[0].auth_type");
        assertThat(e.problem()).contains("does not impersonate the Claude Code client").contains("passthrough")
                .contains("oauth_refresh");
        GatewayConfig passthrough = parse("""
                providers:
                  - { name: cc, type: anthropic, base_url: "https://api.anthropic.com", auth_type: oauth,
                      auth_value: passthrough }
                model_routes: { "*": [ { provider: cc, model: passthrough, priority: 1 } ] }
                """, Map.of());
        assertThat(passthrough.upstreams().get(0).auth().type()).isEqualTo(AuthType.PASSTHROUGH);
    }

    @Test
    void seedBErrorsUseSeedBKeyNames() {
        String head = "providers:\n  - { name: a, type: anthropic, base_url: 'https://h', auth_type: api_key";
        assertThat(error(head + " }\n").getMessage()).isEqualTo("providers[0].auth_value: is required");
        assertThat(error(head + ", auth_value: '${KEY}' }\n").getMessage())
                .isEqualTo("providers[0].auth_value: is empty (environment variable KEY is not set)");
        assertThat(error(head + ", auth_value: k, proxy: 'socks5://p:1080' }\n").key()).isEqualTo("providers[0].proxy");
        assertThat(error("providers:\n  - { name: a, type: gemini, base_url: 'https://h', auth_type: api_key,"
                + " auth_value: k }\n").getMessage()).startsWith("providers[0].type: unknown value 'gemini'");
        assertThat(error("providers:\n  - { name: a, type: anthropic, base_url: 'https://h', auth_type: cookie,"
                + " auth_value: k }\n").getMessage()).startsWith("providers[0].auth_type: unknown auth_type 'cookie'");
        assertThat(error(head + ", auth_value: k }\nsettings: { selection_strategy: sticky }\n").key())
                .isEqualTo("settings.selection_strategy");
        assertThat(error(head + ", auth_value: k }\nsettings: { auth: { enabled: true } }\n").getMessage())
                .isEqualTo("settings.auth.api_key: is required");
        assertThat(error(head + ", auth_value: k, enabled: false }\n").getMessage())
                .isEqualTo("providers: no provider is enabled (seed B refused to start too)");
        assertThat(error(head + ", auth_value: k }\n" + head.substring(head.indexOf('\n') + 1) + ", auth_value: k }\n")
                .getMessage())
                .isEqualTo("providers[1].name: duplicate provider name 'a'");
    }

    @Test
    void seedBStickyZeroTurnsAffinityOff() {
        GatewayConfig c = parse("""
                providers: [ { name: a, type: anthropic, base_url: "https://h", auth_type: auth_token, auth_value: t } ]
                model_routes: { "*": [ { provider: a, model: passthrough, priority: 1 } ] }
                settings: { sticky_provider_duration: 0, host: 10.0.0.5 }
                """, Map.of());
        assertThat(c.balancing().affinity()).isEqualTo(AffinityMode.NONE);
        assertThat(c.server().host()).isEqualTo("10.0.0.5");
        assertThat(c.server().port()).isEqualTo(9090);
        assertThat(c.notes()).anyMatch(n -> n.startsWith("settings.host/port -> server.listen: 10.0.0.5:9090")
                && n.contains("refuses to listen beyond this machine"));
    }

    @Test
    void seedBProvidersYamlBuildsFamilyRoutes() throws IOException {
        GatewayConfig c = ConfigFiles.load("examples/seed-b-providers.yaml");
        assertThat(c.format()).isEqualTo(ConfigFormat.SEED_B_PROVIDERS);
        assertThat(c.upstreams()).extracting(UpstreamConfig::name).containsExactly("anthropic_official",
                "custom_claude_provider", "openrouter_backup", "passthrough_provider");
        assertThat(c.upstreams()).extracting(u -> u.auth().type()).containsExactly(AuthType.API_KEY, AuthType.BEARER,
                AuthType.BEARER, AuthType.API_KEY);
        assertThat(c.routes()).extracting(RouteConfig::match).containsExactly("*opus*", "*sonnet*", "*haiku*", "*");
        List<TargetConfig> big = List.of(
                new TargetConfig("anthropic_official", "claude-3-5-sonnet-20241022", 0, 0),
                new TargetConfig("custom_claude_provider", "claude-3-5-sonnet-20241022", 1, 0),
                new TargetConfig("openrouter_backup", "anthropic/claude-3-5-sonnet", 2, 0),
                new TargetConfig("passthrough_provider", TargetConfig.PASSTHROUGH, 3, 0));
        assertThat(c.routes().get(0).targets()).isEqualTo(big);
        assertThat(c.routes().get(1).targets()).isEqualTo(big);
        assertThat(c.routes().get(3).targets()).isEqualTo(big);
        assertThat(c.routes().get(2).targets()).containsExactly(
                new TargetConfig("anthropic_official", "claude-3-5-haiku-20241022", 0, 0),
                new TargetConfig("custom_claude_provider", "claude-3-5-haiku-20241022", 1, 0),
                new TargetConfig("openrouter_backup", "anthropic/claude-3-5-haiku", 2, 0),
                new TargetConfig("passthrough_provider", TargetConfig.PASSTHROUGH, 3, 0));
        assertThat(c.balancing().strategy()).isEqualTo(Strategy.PRIORITY);
        assertThat(c.health().openFor()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.notes()).contains("settings.request_timeout: ignored; claude-lb uses upstreams[].timeouts "
                + "(connect 10s, first_byte 10m, idle 5m)");
    }

    @Test
    void formatDetection() {
        assertThat(parse("endpoints: [ { name: a, api_base: 'http://h:1', token: t } ]", Map.of()).format())
                .isEqualTo(ConfigFormat.SEED_A);
        String provider = "providers: [ { name: a, type: anthropic, base_url: 'https://h', auth_type: api_key,"
                + " auth_value: k%s } ]\n";
        assertThat(parse(provider.formatted(""), Map.of()).format()).isEqualTo(ConfigFormat.SEED_B);
        assertThat(parse(provider.formatted(", small_model: m"), Map.of()).format())
                .isEqualTo(ConfigFormat.SEED_B_PROVIDERS);
        GatewayConfig both = parse(provider.formatted(", big_model: m") + "model_routes: { '*': [ { provider: a,"
                + " model: x, priority: 1 } ] }", Map.of());
        assertThat(both.format()).isEqualTo(ConfigFormat.SEED_B);
        assertThat(both.notes()).contains("providers[].big_model/small_model: ignored; model_routes decides the models");
        GatewayConfig noRoutes = parse(provider.formatted(""), Map.of());
        assertThat(noRoutes.routes()).isEmpty();
        assertThat(noRoutes.notes()).contains("model_routes: no usable route; every model goes to every provider "
                + "(catch-all '*')");
    }
}
