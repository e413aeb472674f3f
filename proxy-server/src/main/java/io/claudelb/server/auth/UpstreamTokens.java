package io.claudelb.server.auth;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.backend.BackendPools;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@link TokenSource} of every token-based upstream ({@code databricks_oauth}, {@code oauth_refresh}, and the
 * Google credentials of {@code vertex} upstreams, {@link GoogleTokenFetcher}), shared by all exchanges and config
 * snapshots. Keyed by the upstream's credential identity ({@link CredentialKey}): a reload that keeps an upstream's
 * credential keeps its cached token and its rotated refresh token, whatever else of it changed (a weight); a changed
 * credential starts afresh.
 */
public final class UpstreamTokens {
    private final Function<UpstreamConfig, TokenFetcher> fetchers;
    private final NanoClock clock;
    private final Map<CredentialKey, TokenSource> sources = new ConcurrentHashMap<>();

    /**
     * Production wiring: OAuth tokens are fetched over HTTP through the shared backend pools, Google tokens by
     * Google's auth library on the {@link CredentialThread}.
     */
    public UpstreamTokens(BackendPools pools, NanoClock clock) {
        this(upstream -> upstream.auth().type().google()
                ? new GoogleTokenFetcher(upstream, CredentialThread.shared(), System::currentTimeMillis)
                : new HttpTokenFetcher(upstream, pools), clock);
    }

    /** With another way to fetch tokens (tests). */
    public UpstreamTokens(Function<UpstreamConfig, TokenFetcher> fetchers, NanoClock clock) {
        this.fetchers = fetchers;
        this.clock = clock;
    }

    /** Whether requests to an upstream with this auth type need a token from a {@link TokenSource}. */
    public static boolean usesTokens(AuthType type) {
        return type == AuthType.DATABRICKS_OAUTH || type == AuthType.OAUTH_REFRESH || type.google();
    }

    /** The upstream's token source, or null when its credential is static (or none). Thread-safe. */
    public TokenSource source(UpstreamConfig upstream) {
        if (!usesTokens(upstream.auth().type())) {
            return null;
        }
        return sources.computeIfAbsent(CredentialKey.of(upstream), k -> new TokenSource(upstream.name(),
                upstream.auth().refreshToken(), fetchers.apply(upstream), clock));
    }

    /** Forgets the token sources of credentials no upstream of {@code current} has any more (a reload). */
    public void retainOnly(Collection<UpstreamConfig> current) {
        Set<CredentialKey> kept = current.stream().map(CredentialKey::of).collect(Collectors.toSet());
        sources.keySet().retainAll(kept);
    }
}
