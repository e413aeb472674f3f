package io.claudelb.server.mock;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.Objects;

/**
 * The mock upstream's OAuth side: its token endpoints ({@code POST .../oidc/v1/token}, Databricks machine-to-machine,
 * and {@code POST .../oauth/token}, a refresh-token grant) and whether model requests must carry one of the tokens
 * it issued. Built by name ({@link #builder()}, {@link #toBuilder()}); runtime controls (revoke, reject, counts) are on
 * {@link MockTokens}.
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

    private static final MockAuth DEFAULTS = new Builder().build();

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

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * The mock's OAuth side by name; {@link #build()} validates it (the record's constructor). The field initialisers
     * are where every default is declared: {@link #defaults()} is what a builder left alone builds.
     */
    public static final class Builder {
        private boolean requireBearer = false;
        private Duration tokenLifetime = Duration.ofHours(1);
        private String clientId = null;
        private String clientSecret = null;
        private String refreshToken = "mock-refresh-0";
        private Duration tokenDelay = Duration.ZERO;
        private NanoClock clock = NanoClock.SYSTEM;

        private Builder() {
        }

        private Builder(MockAuth from) {
            requireBearer = from.requireBearer;
            tokenLifetime = from.tokenLifetime;
            clientId = from.clientId;
            clientSecret = from.clientSecret;
            refreshToken = from.refreshToken;
            tokenDelay = from.tokenDelay;
            clock = from.clock;
        }

        public Builder requireBearer(boolean value) {
            requireBearer = value;
            return this;
        }

        public Builder tokenLifetime(Duration value) {
            tokenLifetime = value;
            return this;
        }

        /** Token requests must present this client; a null id accepts any client. */
        public Builder client(String id, String secret) {
            clientId = id;
            clientSecret = secret;
            return this;
        }

        public Builder refreshToken(String value) {
            refreshToken = value;
            return this;
        }

        public Builder tokenDelay(Duration value) {
            tokenDelay = value;
            return this;
        }

        public Builder clock(NanoClock value) {
            clock = value;
            return this;
        }

        /** @throws IllegalArgumentException when the settings are not valid */
        public MockAuth build() {
            return new MockAuth(requireBearer, tokenLifetime, clientId, clientSecret, refreshToken, tokenDelay, clock);
        }
    }
}
