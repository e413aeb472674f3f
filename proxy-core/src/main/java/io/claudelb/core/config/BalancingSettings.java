package io.claudelb.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code balancing:}.
 *
 * @param strategy           default strategy for routes that name none
 * @param affinity           what pins a client to an upstream
 * @param affinityTtl        a binding idle this long is forgotten
 * @param affinityMaxEntries bound on remembered bindings
 */
public record BalancingSettings(Strategy strategy, AffinityMode affinity, Duration affinityTtl,
                                long affinityMaxEntries) {
    public static final BalancingSettings DEFAULTS = new BalancingSettings(Strategy.LEAST_REQUESTS,
            AffinityMode.SESSION, Duration.ofHours(1), 100_000);

    public BalancingSettings {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(affinity, "affinity");
        Checks.positive("affinity_ttl", affinityTtl);
        Checks.positive("affinity_max_entries", affinityMaxEntries);
    }
}
