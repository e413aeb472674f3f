package io.claudelb.server.coalesce;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.claudelb.core.config.DedupSettings;
import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The calls in flight, by {@link CoalescingKey}, and the completed answers kept for {@code dedup.replay_ttl}: shared
 * by every event loop. Both are Caffeine caches that run their maintenance on the calling thread
 * ({@code executor(Runnable::run)}) and hold nothing with a reference count: a call owns and releases its own
 * buffers, and a completed answer is heap bytes, so an eviction anywhere frees nothing that a live call still uses.
 * A call removes itself when it ends; an evicted in-flight entry only stops new callers from finding it.
 */
public final class CoalescingRegistry {
    /** A completed answer and the facts of the call that made it. */
    record Completed(CompletedAnswer answer, CallFacts facts) {
    }

    private final Cache<CoalescingKey, CoalescedCall> inFlight;
    private final NanoClock clock;
    private final CoalescingStats stats = new CoalescingStats();
    private volatile ReplayWindow replays;

    /** The replay cache of one {@code (replay_ttl, max_replay_total_bytes)}; rebuilt when a reload changes them. */
    private record ReplayWindow(Duration ttl, long maxBytes, Cache<CoalescingKey, Completed> cache) {
    }

    /**
     * @param settings the coalescing settings at start ({@code max_entries} is fixed from then on)
     * @param clock    the time kept answers expire on
     */
    public CoalescingRegistry(DedupSettings settings, NanoClock clock) {
        this.clock = clock;
        this.inFlight = Caffeine.newBuilder().executor(Runnable::run).maximumSize(settings.maxEntries()).build();
    }

    public CoalescingStats stats() {
        return stats;
    }

    /**
     * The call identical requests join: {@code existing} when it takes a caller like this one, else the call
     * {@code create} makes, registered in its place. Atomic: of two identical requests arriving at once on two
     * loops, one leads and the other follows.
     */
    CoalescedCall leadOrJoin(CoalescingKey key, boolean wantsStream, Supplier<CoalescedCall> create) {
        return inFlight.asMap().compute(key, (k, existing) ->
                existing != null && existing.accepts(wantsStream) ? existing : create.get());
    }

    /** Removes {@code call}'s entry if it is still the one registered for {@code key}. */
    void forget(CoalescingKey key, CoalescedCall call) {
        inFlight.asMap().remove(key, call);
    }

    /** Keeps a complete, successful answer for {@code replay_ttl} (when that is on). */
    void keepCompleted(CoalescingKey key, CompletedAnswer answer, CallFacts facts) {
        ReplayWindow w = replays;
        if (w != null) {
            w.cache().put(key, new Completed(answer, facts));
        }
    }

    /** A kept answer for {@code key}, or null. */
    Completed completed(CoalescingKey key) {
        ReplayWindow w = replays;
        return w == null ? null : w.cache().getIfPresent(key);
    }

    /** Adopts the replay settings of the current config (a reload may change them). Cheap when unchanged. */
    void configure(DedupSettings settings) {
        ReplayWindow w = replays;
        Duration ttl = settings.replayTtl();
        if (ttl.isZero()) {
            replays = null;
            return;
        }
        if (w != null && w.ttl().equals(ttl) && w.maxBytes() == settings.maxReplayTotalBytes()) {
            return;
        }
        Cache<CoalescingKey, Completed> cache = Caffeine.newBuilder().executor(Runnable::run)
                .expireAfterWrite(ttl)
                .ticker(clock::nanoTime)
                .maximumWeight(settings.maxReplayTotalBytes())
                .weigher((CoalescingKey k, Completed c) -> c.answer().weight())
                .build();
        replays = new ReplayWindow(ttl, settings.maxReplayTotalBytes(), cache);
    }

    /** Calls in flight now (tests, stats). */
    public long inFlight() {
        return inFlight.estimatedSize();
    }
}
