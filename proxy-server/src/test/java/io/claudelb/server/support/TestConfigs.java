package io.claudelb.server.support;

import io.claudelb.core.config.AdminSettings;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.ClientKey;
import io.claudelb.core.config.ConfigFormat;
import io.claudelb.core.config.DedupSettings;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.config.LoggingSettings;
import io.claudelb.core.config.MetricsSettings;
import io.claudelb.core.config.ModelMap;
import io.claudelb.core.config.OpenAiSettings;
import io.claudelb.core.config.RetrySettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.StorageSettings;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.config.VertexSettings;
import io.claudelb.core.usage.PriceTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds configs for tests in code: a proxy on 127.0.0.1:0 in front of the given upstreams. */
public final class TestConfigs {
    /** Upstream timeouts of test configs: a dead port is noticed in 2 s, a silent upstream in 10 s. */
    public static final TimeoutSettings FAST = new TimeoutSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(10));
    private final List<UpstreamConfig> upstreams = new ArrayList<>();
    private final List<ClientKey> clients = new ArrayList<>();
    private final List<RouteConfig> routes = new ArrayList<>();
    private ServerSettings server = ServerSettings.DEFAULTS.withListen("127.0.0.1", 0);
    private BalancingSettings balancing = BalancingSettings.DEFAULTS;
    private HealthSettings health = HealthSettings.DEFAULTS;
    private RetrySettings retry = RetrySettings.DEFAULTS;
    private Secret adminKey = Secret.empty();
    private StorageSettings storage = StorageSettings.DISABLED;
    private LimitsSettings limits = LimitsSettings.NONE;
    private PriceTable prices = PriceTable.DEFAULTS;
    private DedupSettings dedup = DedupSettings.OFF;
    private MetricsSettings metrics = MetricsSettings.DEFAULTS;

    public static TestConfigs proxy() {
        return new TestConfigs();
    }

    public TestConfigs anthropic(String name, String baseUrl) {
        return upstream(name, UpstreamKind.ANTHROPIC, baseUrl, UpstreamAuth.apiKey("sk-upstream-" + name));
    }

    public TestConfigs databricks(String name, String baseUrl) {
        return upstream(name, UpstreamKind.DATABRICKS, baseUrl, UpstreamAuth.bearer("dapi-" + name));
    }

    /** A {@code bedrock} upstream in us-east-1 at {@code baseUrl}, signing with static AWS keys. */
    public TestConfigs bedrock(String name, String baseUrl, String keyId, String secret) {
        return upstream(UpstreamConfig.builder(name, UpstreamKind.BEDROCK).baseUrl(baseUrl)
                .auth(UpstreamAuth.awsKeys(keyId, secret, "")).timeouts(FAST)
                .bedrock(new BedrockSettings("us-east-1")).build());
    }

    /** A {@code vertex} upstream (my-project, us-east5) at {@code baseUrl}, with a service-account key file. */
    public TestConfigs vertex(String name, String baseUrl, Path keyFile) {
        return upstream(UpstreamConfig.builder(name, UpstreamKind.VERTEX).baseUrl(baseUrl)
                .auth(UpstreamAuth.googleServiceAccount(keyFile)).timeouts(FAST)
                .vertex(new VertexSettings("my-project", "us-east5")).build());
    }

    /** An {@code openai} upstream with an API key (sent as a bearer token) and no token counting. */
    public TestConfigs openai(String name, String baseUrl, OpenAiSettings dialect) {
        upstreams.add(UpstreamConfig.builder(name, UpstreamKind.OPENAI).baseUrl(baseUrl)
                .auth(UpstreamAuth.apiKey("sk-openai-" + name)).timeouts(FAST).openai(dialect).build());
        return this;
    }

    public TestConfigs upstream(String name, UpstreamKind kind, String baseUrl, UpstreamAuth auth) {
        upstreams.add(UpstreamConfig.builder(name, kind).baseUrl(baseUrl).auth(auth).timeouts(FAST)
                .countTokens(true).build());
        return this;
    }

    public TestConfigs upstream(UpstreamConfig upstream) {
        upstreams.add(upstream);
        return this;
    }

    public TestConfigs client(String name, String key) {
        clients.add(new ClientKey(name, Secret.of(key)));
        return this;
    }

    public TestConfigs route(RouteConfig route) {
        routes.add(route);
        return this;
    }

    public TestConfigs server(ServerSettings settings) {
        this.server = settings;
        return this;
    }

    /** Event loops of the proxy (1 makes which loop serves a connection, and so its backend pool, deterministic). */
    public TestConfigs ioThreads(int threads) {
        this.server = server.toBuilder().ioThreads(threads).build();
        return this;
    }

    public TestConfigs maxRequestBytes(long bytes) {
        this.server = server.toBuilder().maxRequestBytes(bytes).build();
        return this;
    }

    public TestConfigs shutdownGrace(Duration grace) {
        this.server = server.toBuilder().shutdownGrace(grace).build();
        return this;
    }

    /** {@code config} (e.g. loaded from a file) listening on 127.0.0.1:0 instead of its own address. */
    public static GatewayConfig onFreePort(GatewayConfig c) {
        return c.withServer(c.server().withListen("127.0.0.1", 0));
    }

    public TestConfigs balancing(BalancingSettings settings) {
        this.balancing = settings;
        return this;
    }

    public TestConfigs health(HealthSettings settings) {
        this.health = settings;
        return this;
    }

    public TestConfigs retry(RetrySettings settings) {
        this.retry = settings;
        return this;
    }

    public TestConfigs adminKey(String key) {
        this.adminKey = Secret.of(key);
        return this;
    }

    /** Usage storage (none by default). */
    public TestConfigs storage(StorageSettings settings) {
        this.storage = settings;
        return this;
    }

    public TestConfigs limits(LimitsSettings settings) {
        this.limits = settings;
        return this;
    }

    public TestConfigs prices(PriceTable table) {
        this.prices = table;
        return this;
    }

    /** In-flight coalescing (off by default in tests, so identical concurrent requests stay independent). */
    public TestConfigs dedup(DedupSettings settings) {
        this.dedup = settings;
        return this;
    }

    /** The Prometheus endpoint (on, no token, by default). */
    public TestConfigs metrics(MetricsSettings settings) {
        this.metrics = settings;
        return this;
    }

    public GatewayConfig build() {
        return new GatewayConfig(ConfigFormat.NATIVE, server, new AdminSettings(adminKey), clients, upstreams, routes,
                balancing, health, retry, LoggingSettings.DEFAULTS, ModelMap.SEED_A, List.of(),
                storage, limits, prices, dedup, metrics);
    }
}
