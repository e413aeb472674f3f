package io.claudelb.server.auth;

import io.claudelb.core.config.Secret;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * Obtains one new access token for one upstream. {@link HttpTokenFetcher} does it over HTTP; tests plug in their own.
 * A {@link TokenSource} calls it at most once at a time.
 */
@FunctionalInterface
public interface TokenFetcher {

    /**
     * Starts a token request; never blocks.
     *
     * @param loop         the event loop to do the I/O on (the loop of the exchange that needed the token)
     * @param refreshToken the refresh token to present ({@code oauth_refresh}; the latest rotation), else empty
     * @return completes with the endpoint's answer, or fails with a {@link TokenException} (or a transport error)
     */
    Future<TokenResponse> fetch(EventLoop loop, Secret refreshToken);
}
