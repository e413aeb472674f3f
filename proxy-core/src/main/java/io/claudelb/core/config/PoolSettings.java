package io.claudelb.core.config;

import java.time.Duration;

/**
 * Backend connection pool limits, per (upstream, event loop) ({@code upstreams[].pool}).
 *
 * @param maxConnections     open plus connecting connections per event loop
 * @param maxPendingAcquires requests waiting for a connection per event loop; above this the request fails at once
 * @param acquireTimeout     how long a request may wait for a connection
 * @param idleTimeout        a pooled connection idle this long is closed
 * @param maxLifetime        a connection older than this is closed instead of being reused
 */
public record PoolSettings(int maxConnections, int maxPendingAcquires, Duration acquireTimeout, Duration idleTimeout,
                           Duration maxLifetime) {

    public static final PoolSettings DEFAULTS = new PoolSettings(256, 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(60), Duration.ofMinutes(10));

    public PoolSettings {
        Checks.range("max_connections", maxConnections, 1, 1_000_000);
        Checks.range("max_pending_acquires", maxPendingAcquires, 0, 1_000_000);
        Checks.positive("acquire_timeout", acquireTimeout);
        Checks.positive("idle_timeout", idleTimeout);
        Checks.positive("max_lifetime", maxLifetime);
    }
}
