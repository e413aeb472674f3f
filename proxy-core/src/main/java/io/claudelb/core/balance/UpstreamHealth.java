package io.claudelb.core.balance;

import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.BreakerState;
import io.claudelb.core.health.CircuitBreaker;
import io.claudelb.core.health.Cooldown;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.stats.UpstreamSnapshot;
import io.claudelb.core.stats.UpstreamStats;

/**
 * Everything the balancer knows about one upstream at run time: its breaker, its retry-after cooldown and its
 * counters. Owned by {@link BalancerState}, keyed by name, kept across config reloads while the name stays.
 * Thread-safe; all time readings are passed in, so one selection sees one instant.
 */
public final class UpstreamHealth {
    private final String name;
    private final CircuitBreaker breaker;
    private final Cooldown cooldown = new Cooldown();
    private final UpstreamStats stats = new UpstreamStats();
    private volatile UpstreamConfig config;
    private volatile long retryAfterCapNanos;
    /** The last active probe could not connect (health.probe): no request goes here until one does. */
    private volatile boolean unreachable;

    UpstreamHealth(UpstreamConfig config, HealthSettings settings) {
        this.name = config.name();
        this.config = config;
        this.breaker = new CircuitBreaker(settings);
        this.retryAfterCapNanos = settings.retryAfterCap().toNanos();
    }

    void reconfigure(UpstreamConfig newConfig, HealthSettings settings) {
        this.config = newConfig;
        this.breaker.reconfigure(settings);
        this.retryAfterCapNanos = settings.retryAfterCap().toNanos();
    }

    public String name() {
        return name;
    }

    public UpstreamConfig config() {
        return config;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public Cooldown cooldown() {
        return cooldown;
    }

    public UpstreamStats stats() {
        return stats;
    }

    /**
     * Could take a request now: reachable by the last active probe, not cooling down and the breaker admits
     * (closed, or a probe slot is free).
     */
    public boolean eligible(long now) {
        return !unreachable && !cooldown.active(now) && breaker.admits(now);
    }

    /** Like {@link #eligible} but takes the probe slot when half-open: call once for the target chosen. */
    boolean tryAdmit(long now) {
        return !unreachable && !cooldown.active(now) && breaker.tryAcquire(now);
    }

    /**
     * Nanoseconds until {@link #eligible} could be true; 0 when it is. An unreachable upstream has no known time
     * (the next successful probe decides): {@link Long#MAX_VALUE}.
     */
    public long nanosUntilEligible(long now) {
        if (unreachable) {
            return Long.MAX_VALUE;
        }
        return Math.max(breaker.nanosUntilAdmits(now), cooldown.remainingNanos(now));
    }

    /** Whether a request could be sent here now, for {@code /readyz} and {@code /health}: as {@link #eligible}. */
    public boolean available(long now) {
        return !unreachable && breaker.state(now) != BreakerState.OPEN
                && !cooldown.active(now);
    }

    /** Whether the last active probe failed to connect. */
    public boolean unreachable() {
        return unreachable;
    }

    /**
     * An active probe's verdict: {@code reachable} false takes the upstream out of selection until a probe
     * connects again. The breaker and its counts are left alone: a probe is not a request.
     *
     * @return true when this changed the upstream's reachability
     */
    public boolean probed(boolean reachable) {
        boolean was = !unreachable;
        unreachable = !reachable;
        return was != reachable;
    }

    void started() {
        stats.started();
    }

    void ended(long bytes) {
        stats.ended(bytes);
    }

    /** @return true when this success closed the breaker */
    boolean succeeded(long now) {
        stats.succeeded();
        cooldown.clear();
        return breaker.onSuccess(now);
    }

    /**
     * Counts the failure; only kinds that say something about the upstream reach the breaker, and a 429/529 that
     * asked for a pause puts it in cooldown (capped by {@code retry_after_cap}).
     *
     * @return true when this failure opened the breaker
     */
    boolean failed(FailureKind kind, long retryAfterNanos, long now, long epochMillis) {
        stats.failed(kind, epochMillis);
        if ((kind == FailureKind.HTTP_429 || kind == FailureKind.HTTP_529) && retryAfterNanos > 0) {
            cooldown.impose(Math.min(retryAfterNanos, retryAfterCapNanos), now);
        }
        return kind.countsAgainstUpstream() && breaker.onFailure(now);
    }

    /** Closes the breaker, clears the cooldown and the probe's verdict (admin reset); counters stay. */
    void reset() {
        breaker.reset();
        cooldown.clear();
        unreachable = false;
    }

    UpstreamSnapshot snapshot(long now) {
        UpstreamConfig c = config;
        return new UpstreamSnapshot(name, c.kind(), c.weight(), stats.inFlight(), stats.totalRequests(),
                stats.successes(), stats.errorsByKind(), stats.totalErrors(), breaker.state(now),
                breaker.consecutiveFailures(), breaker.nanosUntilHalfOpen(now), cooldown.remainingNanos(now),
                stats.bytesToClients(), stats.affinityBindings(), stats.rebinds(), stats.lastFailureEpochMillis());
    }
}
