package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The files under config/ are part of the product: each must load, and the reference must document every key. */
class ShippedConfigFilesTest {
    /** Every key of the native schema, as written in YAML. */
    private static final List<String> NATIVE_KEYS = List.of(
            "server", "listen", "host", "port", "max_request_bytes", "idle_timeout", "header_read_timeout",
            "shutdown_grace", "io_threads", "max_connections", "allow_unauthenticated_remote", "auth_exempt_paths",
            "admin", "api_key", "clients", "name", "key",
            "upstreams", "kind", "base_url", "enabled", "weight", "priority", "count_tokens",
            "auth", "type", "token", "client_id", "client_secret", "token_url", "refresh_token",
            "pool", "max_pending_acquires", "acquire_timeout", "max_lifetime",
            "timeouts", "connect", "first_byte", "idle", "betas", "allow", "deny", "proxy", "url", "username",
            "password", "openai", "max_completion_tokens", "reasoning_param", "user_max_length", "tls", "ca_file",
            "region", "project", "databricks", "discover", "api", "refresh", "access_key_id", "secret_access_key",
            "session_token", "role_arn", "external_id", "role_session_name", "key_file",
            "metrics", "routes", "match", "strategy", "targets", "upstream", "model",
            "balancing", "affinity", "affinity_ttl", "affinity_max_entries",
            "health", "failure_threshold", "open_for", "half_open_probes", "retry_after_cap",
            "extra_failure_statuses", "failure_body_patterns", "probe", "interval", "timeout",
            "retry", "max_attempts", "stream_peek", "max_bytes", "max_wait",
            "logging", "level", "format", "file", "access_log", "max_file_size", "max_history", "total_size_cap",
            "databricks_models", "rules", "contains", "fallback",
            "storage", "user", "retention", "queue_capacity", "batch_size", "flush_interval",
            "limits", "default", "requests_per_minute", "tokens_per_minute", "concurrent", "budget", "daily_usd",
            "weekly_usd", "monthly_usd", "session", "timezone",
            "prices", "input", "output", "cache_read", "cache_write_5m", "cache_write_1h");

    @Test
    void referenceConfigLoadsWithTheDocumentedRouting() throws IOException {
        GatewayConfig c = ConfigFiles.load("claude-lb.yaml");
        assertThat(c.format()).isEqualTo(ConfigFormat.NATIVE);
        assertThat(c.upstreams()).extracting(UpstreamConfig::name)
                .containsExactly("ws-east", "ws-west", "anthropic", "relay", "anthropic-via-proxy", "bedrock-east",
                        "vertex-east", "openrouter");
        assertThat(c.upstreamsByName().get("bedrock-east").bedrock().region()).isEqualTo("us-east-1");
        assertThat(c.upstreamsByName().get("bedrock-east").auth().type()).isEqualTo(AuthType.AWS_DEFAULT);
        assertThat(c.upstreamsByName().get("vertex-east").vertex().project()).isEqualTo("my-project");
        assertThat(c.upstreamsByName().get("ws-east").databricks()).isEqualTo(DatabricksSettings.DEFAULTS);
        UpstreamConfig west = c.upstreamsByName().get("ws-west");
        assertThat(west.auth().type()).isEqualTo(AuthType.DATABRICKS_OAUTH);
        assertThat(west.auth().clientSecret().reveal()).isEqualTo(ConfigFiles.ENV.get("DATABRICKS_CLIENT_SECRET_WEST"));
        assertThat(west.auth().tokenUrl())
                .isEqualTo(URI.create("https://adb-2222222222222222.22.azuredatabricks.net/oidc/v1/token"));
        assertThat(c.upstreamsByName().get("ws-east").auth().token().reveal())
                .isEqualTo(ConfigFiles.ENV.get("DATABRICKS_TOKEN_EAST"));
        assertThat(c.upstreamsByName().get("anthropic-via-proxy").proxy().host()).isEqualTo("proxy.corp.example");
        assertThat(c.routes()).extracting(RouteConfig::match)
                .containsExactly("*opus*", "*sonnet*", "*haiku*", "gpt-*", "*");
        assertThat(c.routes().get(0).targets()).extracting(TargetConfig::upstream).containsExactly("ws-east", "ws-west",
                "bedrock-east", "vertex-east");
        assertThat(c.routes().get(1).targets()).containsExactly(
                new TargetConfig("anthropic", TargetConfig.PASSTHROUGH, 0, 0), new TargetConfig("relay", null, 1, 0));
        assertThat(c.routes().get(2).targets()).extracting(TargetConfig::upstream)
                .containsExactly("anthropic-via-proxy");
        assertThat(c.routes().get(3).targets()).containsExactly(new TargetConfig("openrouter", "openai/gpt-5", 0, 0));
        UpstreamConfig openRouter = c.upstreamsByName().get("openrouter");
        assertThat(openRouter.kind()).isEqualTo(UpstreamKind.OPENAI);
        assertThat(openRouter.countTokens()).isFalse();
        assertThat(openRouter.openai()).isEqualTo(new OpenAiSettings(false, "reasoning.effort", 128));
        assertThat(openRouter.auth().token().reveal()).isEqualTo(ConfigFiles.ENV.get("OPENROUTER_API_KEY"));
        // The reference shows the defaults, so apart from what it sets on purpose the records are the defaults.
        assertThat(c.server()).isEqualTo(ServerSettings.DEFAULTS);
        assertThat(c.balancing()).isEqualTo(BalancingSettings.DEFAULTS);
        assertThat(c.health()).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(c.retry()).isEqualTo(RetrySettings.DEFAULTS);
        assertThat(c.logging()).isEqualTo(LoggingSettings.DEFAULTS);
        assertThat(c.databricksModels()).isEqualTo(ModelMap.SEED_A);
        assertThat(c.upstreamsByName().get("ws-east").pool()).isEqualTo(PoolSettings.DEFAULTS);
        assertThat(c.upstreamsByName().get("ws-east").timeouts()).isEqualTo(TimeoutSettings.DEFAULTS);
        assertThat(c.storage()).isEqualTo(StorageSettings.DEFAULTS);
        assertThat(c.limits().defaults()).isEqualTo(ClientLimits.NONE);
        assertThat(c.limits().sessionRequestsPerMinute()).isZero();
        assertThat(c.limits().forClient("alice").requestsPerMinute()).isEqualTo(60);
        assertThat(c.limits().forClient("alice").budget().monthlyNanos()).isEqualTo(500 * BudgetLimits.NANOS_PER_USD);
        assertThat(c.prices().lookup("claude-opus-4-7", "relay").output()).isEqualTo(27_500_000);
        assertThat(c.prices().lookup("claude-opus-4-7", "ws-east").output()).isEqualTo(25_000_000);
    }

    @Test
    void referenceConfigDocumentsEveryKey() throws IOException {
        String text = Files.readString(ConfigFiles.configDir().resolve("claude-lb.yaml"));
        List<String> missing = new ArrayList<>();
        for (String key : NATIVE_KEYS) {
            if (!text.matches("(?s).*[\\s{,#]" + key + ":.*")) {
                missing.add(key);
            }
        }
        assertThat(missing).as("keys missing from config/claude-lb.yaml").isEmpty();
    }

    @Test
    void everyExampleLoads() throws IOException {
        List<String> loaded = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(ConfigFiles.configDir().resolve("examples"),
                "*.yaml")) {
            for (Path file : files) {
                GatewayConfig c = ConfigLoader.parse(Files.readString(file), file.toString(), ConfigFiles.ENV);
                assertThat(c.upstreams()).as(file.toString()).isNotEmpty();
                loaded.add(file.getFileName().toString());
            }
        }
        assertThat(loaded).contains("seed-a-config.yaml", "seed-b-config.yaml", "seed-b-providers.yaml");
    }

    @Test
    void loadReadsARealFile() {
        Path file = ConfigFiles.configDir().resolve("examples/seed-a-config.yaml");
        assertThat(ConfigLoader.load(file).format()).isEqualTo(ConfigFormat.SEED_A);
    }
}
