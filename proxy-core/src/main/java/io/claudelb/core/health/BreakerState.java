package io.claudelb.core.health;

import java.util.Locale;

/** The three states of an upstream's {@link CircuitBreaker}, as /stats shows them. */
public enum BreakerState {
    /** Requests flow; consecutive counting failures are being counted. */
    CLOSED,
    /** Nothing is sent until {@code health.open_for} has passed. */
    OPEN,
    /** A limited number of probe requests may go through; the first verdict closes or re-opens the breaker. */
    HALF_OPEN;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
