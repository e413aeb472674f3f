package io.claudelb.core.config;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;

/**
 * One upstream ({@code upstreams[]}).
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

    /** An upstream of a kind with no settings of its own (anthropic, openai) or with their defaults (databricks). */
    public UpstreamConfig(String name, UpstreamKind kind, URI baseUrl, UpstreamAuth auth, int weight, int priority,
                          PoolSettings pool, TimeoutSettings timeouts, boolean countTokens, BetaFilter betas,
                          OutboundProxy proxy, OpenAiSettings openai, TlsSettings tls) {
        this(name, kind, baseUrl, auth, weight, priority, pool, timeouts, countTokens, betas, proxy, openai, tls,
                null, null, null);
    }

    /** An upstream with the default {@link OpenAiSettings} (every kind but a tuned {@code openai} one). */
    public UpstreamConfig(String name, UpstreamKind kind, URI baseUrl, UpstreamAuth auth, int weight, int priority,
                          PoolSettings pool, TimeoutSettings timeouts, boolean countTokens, BetaFilter betas,
                          OutboundProxy proxy) {
        this(name, kind, baseUrl, auth, weight, priority, pool, timeouts, countTokens, betas, proxy,
                OpenAiSettings.DEFAULTS);
    }

    /** An upstream that trusts the JVM's default trust store ({@link TlsSettings#DEFAULTS}). */
    public UpstreamConfig(String name, UpstreamKind kind, URI baseUrl, UpstreamAuth auth, int weight, int priority,
                          PoolSettings pool, TimeoutSettings timeouts, boolean countTokens, BetaFilter betas,
                          OutboundProxy proxy, OpenAiSettings openai) {
        this(name, kind, baseUrl, auth, weight, priority, pool, timeouts, countTokens, betas, proxy, openai,
                TlsSettings.DEFAULTS);
    }

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
