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
 */
public record UpstreamConfig(String name, UpstreamKind kind, URI baseUrl, UpstreamAuth auth, int weight,
                             int priority, PoolSettings pool, TimeoutSettings timeouts, boolean countTokens,
                             BetaFilter betas, OutboundProxy proxy, OpenAiSettings openai, TlsSettings tls) {

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

    /** Request path (without query) for a Messages call. */
    public String messagesPath() {
        return baseUrl.getRawPath() + kind.messagesPath();
    }

    /** Base URL with no credentials, safe to show in /providers and logs. */
    public String displayUrl() {
        return baseUrl.toString();
    }
}
