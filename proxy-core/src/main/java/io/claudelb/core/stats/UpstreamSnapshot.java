package io.claudelb.core.stats;

import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.health.BreakerState;
import io.claudelb.core.health.FailureKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One upstream's row of {@code GET /stats}, frozen at one instant; the server renders it as JSON. No secrets and
 * no URL: only the name the operator chose.
 *
 * @param name                    upstream name
 * @param kind                    protocol
 * @param weight                  configured weight
 * @param inFlight                attempts running now (seed A's {@code active_requests})
 * @param totalRequests           attempts begun
 * @param successes               attempts the upstream answered well
 * @param errorsByKind            failures by kind, only non-zero kinds, in enum order
 * @param totalErrors             sum of {@code errorsByKind}
 * @param breakerState            circuit breaker state ({@code circuit_open} = not CLOSED)
 * @param consecutiveFailures     counting failures since the last success
 * @param nanosUntilHalfOpen      while OPEN, time until it admits a probe (and so may close); else 0
 * @param cooldownRemainingNanos  retry-after cooldown left, 0 when none
 * @param bytesToClients          response bytes relayed to clients
 * @param affinityBindings        sessions bound to this upstream now
 * @param rebinds                 sessions moved off this upstream because it was open, cooling or failed
 * @param lastFailureEpochMillis  wall-clock time of the last failure, 0 when none
 */
public record UpstreamSnapshot(String name, UpstreamKind kind, int weight, long inFlight, long totalRequests,
                               long successes, Map<FailureKind, Long> errorsByKind, long totalErrors,
                               BreakerState breakerState, int consecutiveFailures, long nanosUntilHalfOpen,
                               long cooldownRemainingNanos, long bytesToClients, long affinityBindings, long rebinds,
                               long lastFailureEpochMillis) {
    public UpstreamSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(breakerState, "breakerState");
        Map<FailureKind, Long> copy = new EnumMap<>(FailureKind.class);
        copy.putAll(errorsByKind);
        errorsByKind = Collections.unmodifiableMap(copy);
    }

    /** Seed A's {@code circuit_open}: true while the breaker is not CLOSED. */
    public boolean circuitOpen() {
        return breakerState != BreakerState.CLOSED;
    }

    /** Whether a new request could be sent here now (breaker admits and no cooldown). */
    public boolean available() {
        return breakerState != BreakerState.OPEN && cooldownRemainingNanos == 0;
    }
}
