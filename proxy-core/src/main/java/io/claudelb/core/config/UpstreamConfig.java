package io.claudelb.core.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One upstream ({@code upstreams[]}). Built by name with {@link #builder}; a null setting means its default (declared
 * once: here for weight and priority, by {@link #countsTokensByDefault} for count_tokens, by each settings record's
 * {@code DEFAULTS} for the rest), so the config reader, the seed mappers and tests share every default.
 *
 * @param name        unique label: shows in logs, /stats, {@code x-claude-lb-upstream}
 * @param kind        protocol and path layout
 * @param baseUrl     scheme, host, optional port and path prefix; no trailing slash
 * @param auth        how claude-lb authenticates to it
 * @param weight      share for weighted strategies (>= 1)
 * @param priority    order for the {@code priority} strategy when a route gives none (lower first)
 * @param pool        connection pool limits per event loop
 * @param timeouts    connect / first byte / idle read
 * @param countTokens whether {@code POST /v1/messages/count_tokens} may be relayed here
 * @param betas       anthropic-beta filter
 * @param proxy       outbound HTTP CONNECT proxy, or null
 * @param openai      Chat Completions dialect, used by {@code openai}-kind upstreams only; null means
 *                    {@link OpenAiSettings#DEFAULTS}
 * @param tls         trusted CAs of an https upstream; null means {@link TlsSettings#DEFAULTS} (the JVM's trust
 *                    store). A CA file on an http:// base URL is an error: it would never be used
 * @param bedrock     region of a {@code bedrock} upstream (required there, null for every other kind)
 * @param vertex      project and region of a {@code vertex} upstream (required there, null for every other kind)
 * @param databricks  discovery and API of a {@code databricks} upstream; null means {@link DatabricksSettings#DEFAULTS}
 *                    there, and it is null for every other kind
 */
public record UpstreamConfig(String name, UpstreamKind kind, URI baseUrl, UpstreamAuth auth, int weight,
                             int priority, PoolSettings pool, TimeoutSettings timeouts, boolean countTokens,
                             BetaFilter betas, OutboundProxy proxy, OpenAiSettings openai, TlsSettings tls,
                             BedrockSettings bedrock, VertexSettings vertex, DatabricksSettings databricks) {

    /** {@code weight} when none is given. */
    public static final int DEFAULT_WEIGHT = 1;
    /** {@code priority} when none is given. */
    public static final int DEFAULT_PRIORITY = 0;

    public UpstreamConfig {
        Checks.notBlank("name", name);
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(auth, "auth");
        if (kind == UpstreamKind.BEDROCK && bedrock == null) {
            throw new ConfigException("region", "is required for a bedrock upstream");
        }
        if (kind == UpstreamKind.VERTEX && vertex == null) {
            throw new ConfigException("project", "and region are required for a vertex upstream");
        }
        if (kind != UpstreamKind.BEDROCK && bedrock != null || kind != UpstreamKind.VERTEX && vertex != null) {
            throw new ConfigException("region", "is only used by kinds bedrock and vertex");
        }
        if (kind != UpstreamKind.DATABRICKS && databricks != null) {
            throw new ConfigException("databricks", "is only used by kind databricks");
        }
        if (kind == UpstreamKind.DATABRICKS && databricks == null) {
            databricks = DatabricksSettings.DEFAULTS;
        }
        if (!kind.accepts(auth.type())) {
            throw new ConfigException("auth.type", "a " + kind.configName() + " upstream cannot use auth type "
                    + auth.type().configName() + switch (kind) {
                        case BEDROCK -> " (use aws, aws_default, bearer or none)";
                        case VERTEX -> " (use google_service_account, google_default, bearer or none)";
                        default -> "";
                    });
        }
        if (baseUrl == null && bedrock != null) {
            baseUrl = bedrock.defaultBaseUrl();
        } else if (baseUrl == null && vertex != null) {
            baseUrl = vertex.defaultBaseUrl();
        }
        if (baseUrl == null) {
            throw new ConfigException("base_url", "is required");
        }
        String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || baseUrl.getHost() == null) {
            throw new ConfigException("base_url", "must be an http:// or https:// URL with a host");
        }
        if (baseUrl.getPort() == 0 || baseUrl.getPort() > 65_535) {
            throw new ConfigException("base_url", "port must be between 1 and 65535, got " + baseUrl.getPort());
        }
        if (baseUrl.getUserInfo() != null) {
            throw new ConfigException("base_url", "must not contain credentials; use auth");
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        baseUrl = URI.create(scheme + "://" + baseUrl.getRawAuthority() + path);
        Checks.range("weight", weight, 1, 1_000_000);
        pool = pool == null ? PoolSettings.DEFAULTS : pool;
        timeouts = timeouts == null ? TimeoutSettings.DEFAULTS : timeouts;
        betas = betas == null ? BetaFilter.ALL : betas;
        openai = openai == null ? OpenAiSettings.DEFAULTS : openai;
        tls = tls == null ? TlsSettings.DEFAULTS : tls;
        if (tls.hasCaFile() && !scheme.equals("https")) {
            throw new ConfigException("tls", "only applies to an https:// base_url; this one is " + scheme + "://");
        }
    }

    /** An upstream named {@code name} of {@code kind}, every other setting at its default until set. */
    public static Builder builder(String name, UpstreamKind kind) {
        return new Builder(name, kind);
    }

    /** A builder starting from this upstream's settings. */
    public Builder toBuilder() {
        return new Builder(name, kind).baseUrl(baseUrl).auth(auth).weight(weight).priority(priority).pool(pool)
                .timeouts(timeouts).countTokens(countTokens).betas(betas).proxy(proxy).openai(openai).tls(tls)
                .bedrock(bedrock).vertex(vertex).databricks(databricks);
    }

    /**
     * Whether {@code count_tokens} is relayed to an upstream of {@code kind} when its config does not say: to the
     * kinds that have an endpoint for it (anthropic, vertex); databricks may, but is not assumed to.
     */
    public static boolean countsTokensByDefault(UpstreamKind kind) {
        return kind == UpstreamKind.ANTHROPIC || kind == UpstreamKind.VERTEX;
    }

    /** Upstream settings by name; {@link #build()} validates them (the record's constructor). */
    public static final class Builder {
        private final String name;
        private final UpstreamKind kind;
        private URI baseUrl;
        private UpstreamAuth auth = UpstreamAuth.none();
        private int weight = DEFAULT_WEIGHT;
        private int priority = DEFAULT_PRIORITY;
        private PoolSettings pool;
        private TimeoutSettings timeouts;
        private Boolean countTokens;
        private BetaFilter betas;
        private OutboundProxy proxy;
        private OpenAiSettings openai;
        private TlsSettings tls;
        private BedrockSettings bedrock;
        private VertexSettings vertex;
        private DatabricksSettings databricks;

        private Builder(String name, UpstreamKind kind) {
            this.name = name;
            this.kind = kind;
        }

        /** Null: the kind's public endpoint (bedrock, vertex); required for the other kinds. */
        public Builder baseUrl(URI value) {
            baseUrl = value;
            return this;
        }

        public Builder baseUrl(String value) {
            return baseUrl(value == null ? null : URI.create(value));
        }

        public Builder auth(UpstreamAuth value) {
            auth = value;
            return this;
        }

        public Builder weight(int value) {
            weight = value;
            return this;
        }

        public Builder priority(int value) {
            priority = value;
            return this;
        }

        public Builder pool(PoolSettings value) {
            pool = value;
            return this;
        }

        public Builder timeouts(TimeoutSettings value) {
            timeouts = value;
            return this;
        }

        /** Null: {@link #countsTokensByDefault}. */
        public Builder countTokens(Boolean value) {
            countTokens = value;
            return this;
        }

        public Builder betas(BetaFilter value) {
            betas = value;
            return this;
        }

        public Builder proxy(OutboundProxy value) {
            proxy = value;
            return this;
        }

        public Builder openai(OpenAiSettings value) {
            openai = value;
            return this;
        }

        public Builder tls(TlsSettings value) {
            tls = value;
            return this;
        }

        public Builder bedrock(BedrockSettings value) {
            bedrock = value;
            return this;
        }

        public Builder vertex(VertexSettings value) {
            vertex = value;
            return this;
        }

        public Builder databricks(DatabricksSettings value) {
            databricks = value;
            return this;
        }

        /** @throws ConfigException when the settings do not make a valid upstream */
        public UpstreamConfig build() {
            return new UpstreamConfig(name, kind, baseUrl, auth, weight, priority, pool, timeouts,
                    countTokens != null ? countTokens : countsTokensByDefault(kind), betas, proxy, openai, tls,
                    bedrock, vertex, databricks);
        }
    }

    /** Whether the connection is TLS ({@code https://}); {@link #tls()} says which CAs it trusts. */
    public boolean https() {
        return "https".equals(baseUrl.getScheme());
    }

    public int port() {
        return baseUrl.getPort() > 0 ? baseUrl.getPort() : https() ? 443 : 80;
    }

    public String host() {
        return baseUrl.getHost();
    }

    /** Value of the {@code Host} header: host, plus the port when it is not the scheme's default. */
    public String hostHeader() {
        return baseUrl.getPort() > 0 ? baseUrl.getHost() + ":" + baseUrl.getPort() : baseUrl.getHost();
    }

    /**
     * Request path (without query) for a Messages call to a kind whose path does not name the model.
     *
     * @throws IllegalStateException for bedrock and vertex: use {@link #messagesPath(String, boolean)}
     */
    public String messagesPath() {
        if (kind == UpstreamKind.DATABRICKS && databricks.api() == DatabricksApi.AI_GATEWAY) {
            return DatabricksSettings.workspacePath(baseUrl.getRawPath()) + DatabricksApi.AI_GATEWAY_MESSAGES_PATH;
        }
        return baseUrl.getRawPath() + kind.messagesPath();
    }

    /**
     * Request path (without query) for a Messages call of every kind: for bedrock and vertex it names
     * {@code model} (the model to send, never null for them) and the answer's form ({@code stream}); the others
     * ignore both.
     */
    public String messagesPath(String model, boolean stream) {
        return switch (kind) {
            case BEDROCK -> BedrockSettings.invokePath(baseUrl.getRawPath(), Objects.requireNonNull(model, "model"),
                    stream);
            case VERTEX -> vertex.predictPath(baseUrl.getRawPath(), Objects.requireNonNull(model, "model"), stream);
            default -> messagesPath();
        };
    }

    /**
     * Request path of {@code POST /v1/messages/count_tokens} here, or null when this kind has no such endpoint
     * (openai, bedrock: claude-lb answers with its estimate).
     */
    public String countTokensPath() {
        return switch (kind) {
            case ANTHROPIC, DATABRICKS -> messagesPath() + "/count_tokens";
            case VERTEX -> vertex.countTokensPath(baseUrl.getRawPath());
            case OPENAI, BEDROCK -> null;
        };
    }

    /** The Databricks workspace root (scheme, host, port, path), for its REST API; null for other kinds. */
    public URI databricksWorkspace() {
        if (kind != UpstreamKind.DATABRICKS) {
            return null;
        }
        return URI.create(baseUrl.getScheme() + "://" + baseUrl.getRawAuthority()
                + DatabricksSettings.workspacePath(baseUrl.getRawPath()));
    }

    /** Base URL with no credentials, safe to show in /providers and logs. */
    public String displayUrl() {
        return baseUrl.toString();
    }
}
