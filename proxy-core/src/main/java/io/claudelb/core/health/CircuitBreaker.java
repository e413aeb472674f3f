package io.claudelb.core.health;

import io.claudelb.core.config.HealthSettings;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One upstream's circuit breaker. CLOSED counts consecutive counting failures (a success resets the count); at
 * {@code failure_threshold} it turns OPEN for {@code open_for}; after that it is HALF_OPEN and admits at most
 * {@code half_open_probes} probes; a success closes it, a failure re-opens it for another {@code open_for}.
 *
 * <p>Lock-free: the whole state is one immutable {@link Phase} swapped by compare-and-set, so the event loops that
 * share an upstream never wait on each other. The common paths (admitting while CLOSED, a success with no failures
 * counted) only read. Every method takes the current {@link io.claudelb.core.time.NanoClock} reading, so the
 * breaker is a pure state machine and one caller sees one instant across all candidates of a selection.
 *
 * <p>Probe slots are leases: a probe that ends without a verdict (the client went away, our own pool limit) cannot
 * be told apart from any other attempt by the caller, so instead of being released its slot expires {@code open_for}
 * after the round of probes began, and a new round may start. A breaker therefore never stays half-open forever.
 */
public final class CircuitBreaker {
    /** Thresholds, replaced as a whole when the config is reloaded. */
    private record Limits(int failureThreshold, long openForNanos, int halfOpenProbes) {
    }

    /**
     * The state. {@code since} is when the breaker opened (OPEN) or when the current round of probes began
     * (HALF_OPEN); {@code probes} is how many probes that round has issued.
     */
    private record Phase(BreakerState state, int failures, long since, int probes) {
    }

    private static final Phase CLOSED_CLEAN = new Phase(BreakerState.CLOSED, 0, 0, 0);

    private final AtomicReference<Phase> phase = new AtomicReference<>(CLOSED_CLEAN);
    private volatile Limits limits;

    public CircuitBreaker(int failureThreshold, long openForNanos, int halfOpenProbes) {
        this.limits = limits(failureThreshold, openForNanos, halfOpenProbes);
    }

    public CircuitBreaker(HealthSettings settings) {
        this(settings.failureThreshold(), settings.openFor().toNanos(), settings.halfOpenProbes());
    }

    private static Limits limits(int failureThreshold, long openForNanos, int halfOpenProbes) {
        if (failureThreshold < 1 || openForNanos <= 0 || halfOpenProbes < 1) {
            throw new IllegalArgumentException("threshold, open_for and probes must be positive");
        }
        return new Limits(failureThreshold, openForNanos, halfOpenProbes);
    }

    /** Takes new thresholds (config reload) while keeping the state; an open breaker uses the new open_for. */
    public void reconfigure(HealthSettings settings) {
        limits = limits(settings.failureThreshold(), settings.openFor().toNanos(), settings.halfOpenProbes());
    }

    /** The state as of {@code now}: an OPEN breaker whose open_for has passed reads HALF_OPEN. */
    public BreakerState state(long now) {
        Phase p = phase.get();
        return p.state == BreakerState.OPEN && openElapsed(p, now) ? BreakerState.HALF_OPEN : p.state;
    }

    /** Counting failures since the last success (or reset). */
    public int consecutiveFailures() {
        return phase.get().failures;
    }

    /** Nanoseconds until an OPEN breaker turns HALF_OPEN; 0 when it is not open. */
    public long nanosUntilHalfOpen(long now) {
        Phase p = phase.get();
        return p.state == BreakerState.OPEN ? Math.max(0, p.since + limits.openForNanos - now) : 0;
    }

    /** Nanoseconds until {@link #tryAcquire} could succeed: 0 when it would now. */
    public long nanosUntilAdmits(long now) {
        Phase p = phase.get();
        Limits l = limits;
        return switch (p.state) {
            case CLOSED -> 0;
            case OPEN -> Math.max(0, p.since + l.openForNanos - now);
            case HALF_OPEN -> p.probes < l.halfOpenProbes ? 0 : Math.max(0, p.since + l.openForNanos - now);
        };
    }

    /** Whether {@link #tryAcquire} would succeed now, without taking anything. */
    public boolean admits(long now) {
        return nanosUntilAdmits(now) == 0;
    }

    /**
     * Admits one request: always while CLOSED; while HALF_OPEN only when a probe slot is free (and takes it).
     * Call it once per attempt, for the target actually chosen.
     */
    public boolean tryAcquire(long now) {
        while (true) {
            Phase p = phase.get();
            Limits l = limits;
            Phase next;
            switch (p.state) {
                case CLOSED -> {
                    return true;
                }
                case OPEN -> {
                    if (!openElapsed(p, now)) {
                        return false;
                    }
                    next = new Phase(BreakerState.HALF_OPEN, p.failures, now, 1);
                }
                case HALF_OPEN -> {
                    if (p.probes < l.halfOpenProbes) {
                        next = new Phase(BreakerState.HALF_OPEN, p.failures, p.since, p.probes + 1);
                    } else if (now - p.since >= l.openForNanos) {
                        next = new Phase(BreakerState.HALF_OPEN, p.failures, now, 1);
                    } else {
                        return false;
                    }
                }
                default -> throw new IllegalStateException(p.state.toString());
            }
            if (phase.compareAndSet(p, next)) {
                return true;
            }
        }
    }

    /**
     * Records a success: resets the count while CLOSED, closes a HALF_OPEN breaker. A success that arrives while
     * the breaker is still OPEN (a request that began before it opened) changes nothing: the open window is the
     * policy, only probes decide.
     *
     * @return true when this success closed the breaker
     */
    public boolean onSuccess(long now) {
        while (true) {
            Phase p = phase.get();
            if (p == CLOSED_CLEAN || p.state == BreakerState.OPEN && !openElapsed(p, now)) {
                return false;
            }
            if (phase.compareAndSet(p, CLOSED_CLEAN)) {
                return p.state != BreakerState.CLOSED;
            }
        }
    }

    /**
     * Records a failure that counts against the upstream: CLOSED counts towards the threshold, HALF_OPEN (or an
     * OPEN breaker whose open_for has passed) re-opens for another open_for, a still-OPEN breaker only counts.
     *
     * @return true when this failure opened the breaker
     */
    public boolean onFailure(long now) {
        while (true) {
            Phase p = phase.get();
            int failures = p.failures == Integer.MAX_VALUE ? p.failures : p.failures + 1;
            Phase next;
            boolean opened;
            if (p.state == BreakerState.CLOSED) {
                opened = failures >= limits.failureThreshold;
                next = new Phase(opened ? BreakerState.OPEN : BreakerState.CLOSED, failures, opened ? now : 0, 0);
            } else if (p.state == BreakerState.OPEN && !openElapsed(p, now)) {
                opened = false;
                next = new Phase(BreakerState.OPEN, failures, p.since, 0);
            } else {
                opened = true;
                next = new Phase(BreakerState.OPEN, failures, now, 0);
            }
            if (phase.compareAndSet(p, next)) {
                return opened;
            }
        }
    }

    /** Closes the breaker and forgets the count (admin {@code POST /reset}). */
    public void reset() {
        phase.set(CLOSED_CLEAN);
    }

    private boolean openElapsed(Phase p, long now) {
        // Subtraction, not comparison: nanoTime values may wrap.
        return now - p.since >= limits.openForNanos;
    }
}
