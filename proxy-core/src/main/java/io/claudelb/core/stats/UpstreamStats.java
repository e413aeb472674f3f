package io.claudelb.core.stats;

import io.claudelb.core.health.FailureKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic counters of one upstream, written from every event loop: lock-free, no allocation per request.
 * In-flight is an exact atomic (least_requests reads it on every pick); totals are {@link LongAdder}s (written
 * often, read only by /stats). Latencies are not here: /stats reads windowed percentiles that an exchange observer
 * records in the server. Lives as long as the upstream's name stays in the config.
 */
public final class UpstreamStats {
    private static final FailureKind[] KINDS = FailureKind.values();

    private final AtomicLong inFlight = new AtomicLong();
    private final LongAdder totalRequests = new LongAdder();
    private final LongAdder successes = new LongAdder();
    private final AtomicLongArray errors = new AtomicLongArray(KINDS.length);
    private final LongAdder bytesToClients = new LongAdder();
    private final AtomicLong affinityBindings = new AtomicLong();
    private final LongAdder rebinds = new LongAdder();
    private volatile long lastFailureEpochMillis;

    /** An attempt begins. */
    public void started() {
        inFlight.incrementAndGet();
        totalRequests.increment();
    }

    /**
     * An attempt is over. In-flight never goes below zero: an attempt that began before a reload removed and
     * re-added this upstream's name may end on the fresh counters.
     */
    public void ended(long bytes) {
        inFlight.getAndUpdate(n -> n > 0 ? n - 1 : 0);
        if (bytes > 0) {
            bytesToClients.add(bytes);
        }
    }

    public void succeeded() {
        successes.increment();
    }

    public void failed(FailureKind kind, long epochMillis) {
        errors.incrementAndGet(kind.ordinal());
        lastFailureEpochMillis = epochMillis;
    }

    /** A session was bound to this upstream. */
    public void bound() {
        affinityBindings.incrementAndGet();
    }

    /** A session binding to this upstream went away (expired, evicted, moved). */
    public void unbound() {
        affinityBindings.getAndUpdate(n -> n > 0 ? n - 1 : 0);
    }

    /** A session bound here was moved to another upstream because this one could not take it. */
    public void reboundAway() {
        rebinds.increment();
    }

    public long inFlight() {
        return inFlight.get();
    }

    public long totalRequests() {
        return totalRequests.sum();
    }

    public long successes() {
        return successes.sum();
    }

    public long errors(FailureKind kind) {
        return errors.get(kind.ordinal());
    }

    /** Non-zero error counts by kind, in enum order; unmodifiable. */
    public Map<FailureKind, Long> errorsByKind() {
        Map<FailureKind, Long> map = new EnumMap<>(FailureKind.class);
        for (FailureKind kind : KINDS) {
            long n = errors.get(kind.ordinal());
            if (n > 0) {
                map.put(kind, n);
            }
        }
        return Collections.unmodifiableMap(map);
    }

    public long totalErrors() {
        long total = 0;
        for (int i = 0; i < KINDS.length; i++) {
            total += errors.get(i);
        }
        return total;
    }

    public long bytesToClients() {
        return bytesToClients.sum();
    }

    /** Sessions currently bound to this upstream. */
    public long affinityBindings() {
        return affinityBindings.get();
    }

    public long rebinds() {
        return rebinds.sum();
    }

    /** Wall-clock time of the last failure, 0 when none. */
    public long lastFailureEpochMillis() {
        return lastFailureEpochMillis;
    }
}
