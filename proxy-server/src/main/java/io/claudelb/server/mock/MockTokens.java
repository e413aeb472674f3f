package io.claudelb.server.mock;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tokens one {@link MockUpstream} issued, and the switches tests flip at runtime: revoke every issued token (the
 * next model request gets a 401), make the token endpoints refuse, change the lifetime. Thread-safe (every event loop
 * of the mock and the test thread use it), lock-free.
 */
public final class MockTokens {
    private final MockAuth auth;
    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicReference<String> refreshToken;
    private final AtomicInteger rotations = new AtomicInteger();
    private volatile boolean rejecting;
    private volatile Duration lifetime;

    MockTokens(MockAuth auth) {
        this.auth = auth;
        this.refreshToken = new AtomicReference<>(auth.refreshToken());
        this.lifetime = auth.tokenLifetime();
    }

    MockAuth auth() {
        return auth;
    }

    /** Access tokens issued so far. */
    public int issuedCount() {
        return issued.get();
    }

    /** The access token issued as number {@code n} (from 1); tokens are {@code mock-at-<n>}. */
    public static String token(int n) {
        return "mock-at-" + n;
    }

    /** Every issued token stops working now (the next model request with one gets 401). */
    public void revokeAll() {
        expiries.clear();
    }

    /** While true, both token endpoints answer 401 {@code invalid_client}. */
    public void rejectTokenRequests(boolean value) {
        rejecting = value;
    }

    /** Lifetime of tokens issued from now on. */
    public void setLifetime(Duration value) {
        if (value.toSeconds() < 1) {
            throw new IllegalArgumentException("lifetime must be at least 1 s");
        }
        lifetime = value;
    }

    /** The refresh token {@code /oauth/token} accepts now. */
    public String currentRefreshToken() {
        return refreshToken.get();
    }

    boolean rejecting() {
        return rejecting;
    }

    long lifetimeSeconds() {
        return lifetime.toSeconds();
    }

    /** Issues a new access token, valid for the current lifetime. */
    String issue() {
        String token = token(issued.incrementAndGet());
        expiries.put(token, auth.clock().nanoTime() + lifetime.toNanos());
        return token;
    }

    /** Rotates the refresh token if {@code presented} is the current one; returns the next one, or null. */
    String rotate(String presented) {
        String current = refreshToken.get();
        if (presented == null || !presented.equals(current)) {
            return null;
        }
        String next = "mock-refresh-" + rotations.incrementAndGet();
        return refreshToken.compareAndSet(current, next) ? next : null;
    }

    /** Whether {@code token} was issued here, is not revoked and has not expired. */
    public boolean accepts(String token) {
        Long expiry = token == null ? null : expiries.get(token);
        return expiry != null && auth.clock().nanoTime() - expiry < 0;
    }

    /** Whether an {@code Authorization} header value carries an accepted bearer token. */
    boolean acceptsAuthorization(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return accepts(authorization.substring(7).strip());
    }
}
