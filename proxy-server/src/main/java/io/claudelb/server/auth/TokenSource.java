package io.claudelb.server.auth;

import io.claudelb.core.config.Secret;
import io.claudelb.core.time.NanoClock;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access token of one upstream whose credential is {@code databricks_oauth} or {@code oauth_refresh}: cached,
 * refreshed ahead of expiry, fetched by at most one request at a time. Shared by every event loop; lock-free.
 *
 * <p>Rules:
 * <ul>
 *   <li>A token with lifetime L (the endpoint's {@code expires_in}, counted from when the request was sent) is
 *       refreshed in the background once 80% of L has passed; requests keep using it meanwhile.</li>
 *   <li>It is no longer sent in its last {@code min(30 s, L/10)} (it could expire in transit): a request then waits
 *       for the new token.</li>
 *   <li>At most one fetch runs per upstream; every request that needs a token meanwhile waits on the same
 *       future. Waiting never blocks: the caller gets a future completed on its own event loop.</li>
 *   <li>{@link #renew} after an upstream 401 drops the token that request used, unless a newer one already
 *       replaced it, so concurrent 401s cause one refresh.</li>
 *   <li>A refresh token the endpoint rotates is kept and presented next time. A failed background refresh keeps
 *       the current token until it is no longer usable.</li>
 * </ul>
 */
public final class TokenSource {
    private static final Logger LOG = LoggerFactory.getLogger(TokenSource.class);
    /** Used when the endpoint states no {@code expires_in} (RFC 6749 makes it optional). */
    static final long DEFAULT_LIFETIME_SECONDS = 3600;
    private static final long MAX_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final String upstreamName;
    private final TokenFetcher fetcher;
    private final NanoClock clock;
    private final AtomicReference<AccessToken> current = new AtomicReference<>();
    private final AtomicReference<Promise<AccessToken>> inFlight = new AtomicReference<>();
    private volatile Secret refreshToken;
    private final AtomicInteger fetches = new AtomicInteger();

    /**
     * @param upstreamName for log lines
     * @param refreshToken the configured refresh token ({@code oauth_refresh}), else empty
     */
    public TokenSource(String upstreamName, Secret refreshToken, TokenFetcher fetcher, NanoClock clock) {
        this.upstreamName = upstreamName;
        this.refreshToken = refreshToken;
        this.fetcher = fetcher;
        this.clock = clock;
    }

    /**
     * A token to send now: the cached one when usable (starting a background refresh when it is due), else the
     * result of the fetch in flight. The future completes on {@code loop}.
     */
    public Future<AccessToken> token(EventLoop loop) {
        AccessToken t = current.get();
        long now = clock.nanoTime();
        if (t != null && t.usableAt(now)) {
            if (t.dueAt(now)) {
                refresh(loop);
            }
            return loop.newSucceededFuture(t);
        }
        return onLoop(loop, refresh(loop));
    }

    /**
     * The upstream rejected {@code used} (HTTP 401): forget it and get another. When a newer usable token already
     * replaced it, that one is returned without a fetch.
     */
    public Future<AccessToken> renew(EventLoop loop, AccessToken used) {
        current.compareAndSet(used, null);
        return token(loop);
    }

    /** Fetches started so far (for tests and stats). */
    public int fetches() {
        return fetches.get();
    }

    private Future<AccessToken> refresh(EventLoop loop) {
        while (true) {
            Promise<AccessToken> running = inFlight.get();
            if (running != null) {
                return running;
            }
            Promise<AccessToken> mine = loop.newPromise();
            if (inFlight.compareAndSet(null, mine)) {
                start(loop, mine);
                return mine;
            }
        }
    }

    private void start(EventLoop loop, Promise<AccessToken> mine) {
        long sentAt = clock.nanoTime();
        AccessToken fresh = current.get();
        if (fresh != null && fresh.usableAt(sentAt) && !fresh.dueAt(sentAt)) {
            // Another fetch finished between the caller's look at the cache and this one's start.
            complete(mine, fresh);
            return;
        }
        fetches.incrementAndGet();
        Future<TokenResponse> fetched;
        try {
            fetched = fetcher.fetch(loop, refreshToken);
        } catch (RuntimeException e) {
            fail(mine, e);
            return;
        }
        fetched.addListener(f -> {
            if (f.isSuccess()) {
                accept(mine, fetched.getNow(), sentAt);
            } else {
                fail(mine, f.cause());
            }
        });
    }

    private void accept(Promise<AccessToken> mine, TokenResponse response, long sentAt) {
        long lifetimeSeconds = response.expiresInSeconds() > 0 ? response.expiresInSeconds()
                : DEFAULT_LIFETIME_SECONDS;
        long lifetime = TimeUnit.SECONDS.toNanos(lifetimeSeconds);
        long margin = Math.min(MAX_MARGIN_NANOS, lifetime / 10);
        AccessToken token = new AccessToken(response.accessToken(), sentAt + lifetime / 10 * 8,
                sentAt + lifetime - margin);
        if (response.refreshToken() != null && !response.refreshToken().isEmpty()) {
            refreshToken = Secret.of(response.refreshToken());
        }
        LOG.debug("upstream {}: new access token, valid for {} s", upstreamName, lifetimeSeconds);
        complete(mine, token);
    }

    private void complete(Promise<AccessToken> mine, AccessToken token) {
        current.set(token);
        inFlight.compareAndSet(mine, null);
        mine.trySuccess(token);
    }

    private void fail(Promise<AccessToken> mine, Throwable cause) {
        inFlight.compareAndSet(mine, null);
        String reason = cause instanceof TokenException ? cause.getMessage() : cause.toString();
        LOG.warn("upstream {}: could not obtain an access token: {}", upstreamName, reason);
        mine.tryFailure(cause);
    }

    /**
     * The shared fetch's outcome on the caller's own loop: a Netty promise notifies listeners on the loop that made
     * it, which may be another exchange's.
     */
    private static Future<AccessToken> onLoop(EventLoop loop, Future<AccessToken> shared) {
        if (shared.isDone()) {
            return shared.isSuccess() ? loop.newSucceededFuture(shared.getNow()) : loop.newFailedFuture(shared.cause());
        }
        Promise<AccessToken> local = loop.newPromise();
        shared.addListener(f -> {
            if (f.isSuccess()) {
                local.trySuccess(shared.getNow());
            } else {
                local.tryFailure(f.cause());
            }
        });
        return local;
    }
}
