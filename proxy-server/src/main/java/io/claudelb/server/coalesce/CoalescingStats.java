package io.claudelb.server.coalesce;

import java.util.concurrent.atomic.LongAdder;

/**
 * What coalescing saved, counted since start from every event loop (/stats, /metrics): calls led, callers that
 * followed a call live or got a completed answer replayed (each an upstream call saved), body bytes fanned out to
 * them, callers dropped for falling behind, and retries that found their abandoned call still lingering.
 */
public final class CoalescingStats {
    final LongAdder leaders = new LongAdder();
    final LongAdder followers = new LongAdder();
    final LongAdder replays = new LongAdder();
    final LongAdder bytesFannedOut = new LongAdder();
    final LongAdder followersDropped = new LongAdder();
    final LongAdder lingerHits = new LongAdder();

    /** Counters at zero (a gateway without coalescing, tests). */
    public CoalescingStats() {
    }

    public long leaders() {
        return leaders.sum();
    }

    public long followers() {
        return followers.sum();
    }

    public long replays() {
        return replays.sum();
    }

    /** Upstream calls that identical requests did not make: every follower and replay. */
    public long upstreamCallsSaved() {
        return followers.sum() + replays.sum();
    }

    public long bytesFannedOut() {
        return bytesFannedOut.sum();
    }

    public long followersDropped() {
        return followersDropped.sum();
    }

    public long lingerHits() {
        return lingerHits.sum();
    }
}
