package io.claudelb.server.auth;

import io.claudelb.core.config.PoolSettings;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.TlsSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.backend.BackendPool;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.backend.BoundedCall;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Fetches tokens for one upstream over HTTP with claude-lb's own backend machinery: the token endpoint gets a
 * connection pool of its own per event loop (from the shared {@link BackendPools}), so token calls are non-blocking,
 * keep-alive, TLS-verified and go through the upstream's outbound proxy exactly like its model requests. Each call
 * is bounded by {@link #TIMEOUT}.
 */
public final class HttpTokenFetcher implements TokenFetcher {
    /** Longest a token request may take, connect included; a token endpoint answers in milliseconds. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** A token answer is a few hundred bytes; anything this large is not one. */
    static final int MAX_ANSWER = 64 * 1024;
    private static final PoolSettings POOL = new PoolSettings(4, 64, Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMinutes(10));

    private final String upstreamName;
    private final UpstreamAuth auth;
    private final URI tokenUrl;
    private final UpstreamConfig endpoint;
    private final BackendPools pools;

    /**
     * @param upstream an upstream whose auth type is {@code databricks_oauth} or {@code oauth_refresh}
     */
    public HttpTokenFetcher(UpstreamConfig upstream, BackendPools pools) {
        this.upstreamName = upstream.name();
        this.auth = upstream.auth();
        this.tokenUrl = auth.tokenUrl();
        if (tokenUrl == null) {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' has no token URL");
        }
        this.pools = pools;
        String scheme = tokenUrl.getScheme().toLowerCase(Locale.ROOT);
        // The token endpoint as a pool target: same proxy and timeouts as the upstream, no credential of its own;
        // on the upstream's own host (Databricks' /oidc/v1/token) it trusts the upstream's tls.ca_file too.
        boolean sameHost = tokenUrl.getHost() != null && tokenUrl.getHost().equalsIgnoreCase(upstream.host());
        this.endpoint = UpstreamConfig.builder(upstream.name() + "-token-endpoint", UpstreamKind.ANTHROPIC)
                .baseUrl(URI.create(scheme + "://" + tokenUrl.getRawAuthority())).pool(POOL)
                .timeouts(upstream.timeouts()).countTokens(false).proxy(upstream.proxy())
                .tls(sameHost && "https".equals(scheme) ? upstream.tls() : TlsSettings.DEFAULTS).build();
    }

    @Override
    public Future<TokenResponse> fetch(EventLoop loop, Secret refreshToken) {
        Promise<TokenResponse> promise = loop.newPromise();
        if (loop.inEventLoop()) {
            begin(loop, refreshToken, promise);
        } else {
            loop.execute(() -> begin(loop, refreshToken, promise));
        }
        return promise;
    }

    private void begin(EventLoop loop, Secret refreshToken, Promise<TokenResponse> promise) {
        BackendPool pool = pools.pool(loop, endpoint);
        Future<Channel> acquired = pool.acquire();
        acquired.addListener(f -> {
            if (!f.isSuccess()) {
                promise.tryFailure(new TokenException("token endpoint of upstream '" + upstreamName
                        + "' not reachable: " + f.cause(), f.cause()));
                return;
            }
            FullHttpRequest request = TokenRequests.build(acquired.getNow().alloc(), auth, tokenUrl, refreshToken);
            new BoundedCall<>("token request for upstream '" + upstreamName + "'", MAX_ANSWER, pool,
                    acquired.getNow(), promise, (status, text) -> TokenResponses.parse(upstreamName, status, text),
                    (message, cause) -> cause == null ? new TokenException(message)
                            : new TokenException(message, cause)).start(request, TIMEOUT.toNanos());
        });
    }
}
