package io.claudelb.server.mock;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * The mock upstream's OAuth side: its token endpoints ({@code POST .../oidc/v1/token}, Databricks machine-to-machine,
 * and {@code POST .../oauth/token}, a refresh-token grant) and whether model requests must carry one of the tokens
 * it issued. Runtime controls (revoke, reject, counts) are on {@link MockTokens}.
 *
 * @param requireBearer model requests ({@code /v1/messages}, {@code count_tokens}) need
 *     {@code Authorization: Bearer <a token issued here>} that is neither expired nor revoked; else 401
 *     authentication_error
 * @param tokenLifetime {@code expires_in} of issued tokens; also when the mock itself stops accepting them
 * @param clientId null accepts any client; else token requests must present this id (HTTP Basic or form)
 * @param clientSecret the secret that goes with {@code clientId}
 * @param refreshToken the refresh token {@code /oauth/token} accepts first; each use rotates it (the answer carries
 *     the next one and the old one stops working)
 * @param tokenDelay delay before a token answer (lets tests overlap requests with a fetch)
 * @param clock decides expiry; tests share a fake one with the proxy
 */
public record MockAuth(boolean requireBearer, Duration tokenLifetime, String clientId, String clientSecret,
        String refreshToken, Duration tokenDelay, NanoClock clock) {

    private static final MockAuth DEFAULTS = new MockAuth(false, Duration.ofHours(1), null, null, "mock-refresh-0",
            Duration.ZERO, NanoClock.SYSTEM);

    public MockAuth {
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        Objects.requireNonNull(refreshToken, "refreshToken");
        Objects.requireNonNull(tokenDelay, "tokenDelay");
        Objects.requireNonNull(clock, "clock");
        if (tokenLifetime.toSeconds() < 1) {
            throw new IllegalArgumentException("tokenLifetime must be at least 1 s, was " + tokenLifetime);
        }
        if (tokenDelay.isNegative()) {
            throw new IllegalArgumentException("tokenDelay must not be negative");
        }
    }

    /** Tokens not required, 1 h lifetime, any client, refresh token {@code mock-refresh-0}, no delay, system clock. */
    public static MockAuth defaults() {
        return DEFAULTS;
    }

    public MockAuth withRequireBearer(boolean value) {
        return new MockAuth(value, tokenLifetime, clientId, clientSecret, refreshToken, tokenDelay, clock);
    }

    public MockAuth withTokenLifetime(Duration value) {
        return new MockAuth(requireBearer, value, clientId, clientSecret, refreshToken, tokenDelay, clock);
    }

    public MockAuth withClient(String id, String secret) {
        return new MockAuth(requireBearer, tokenLifetime, id, secret, refreshToken, tokenDelay, clock);
    }

    public MockAuth withRefreshToken(String value) {
        return new MockAuth(requireBearer, tokenLifetime, clientId, clientSecret, value, tokenDelay, clock);
    }

    public MockAuth withTokenDelay(Duration value) {
        return new MockAuth(requireBearer, tokenLifetime, clientId, clientSecret, refreshToken, value, clock);
    }

    public MockAuth withClock(NanoClock value) {
        return new MockAuth(requireBearer, tokenLifetime, clientId, clientSecret, refreshToken, tokenDelay, value);
    }
}
