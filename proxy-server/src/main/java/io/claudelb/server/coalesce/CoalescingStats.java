package io.claudelb.server.coalesce;

import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import java.util.concurrent.atomic.LongAdder;

/**
 * What coalescing saved, counted since start from every event loop (/stats, /metrics): calls led, callers that
 * followed a call live or got a completed answer replayed (each an upstream call saved), body bytes fanned out to
 * them, callers dropped for falling behind, and retries that found their abandoned call still lingering.
 *
 * <p>The roles are counted as an {@link ExchangeObserver}, from each finished request's event, as every other
 * per-request figure is: a request counts once it has ended, with the role it ended in (a follower whose call ended
 * before it could attach, and that was answered alone, is not a follower). The other counters are the fan-out's own
 * mechanics, counted where they happen.
 */
public final class CoalescingStats implements ExchangeObserver {
    final LongAdder leaders = new LongAdder();
    final LongAdder followers = new LongAdder();
    final LongAdder replays = new LongAdder();
    final LongAdder bytesFannedOut = new LongAdder();
    final LongAdder followersDropped = new LongAdder();
    final LongAdder lingerHits = new LongAdder();

    /** Counters at zero (a gateway without coalescing, tests). */
    public CoalescingStats() {
    }

    @Override
    public void exchangeEnded(ExchangeEvent event) {
        switch (event.role()) {
            case LEADER -> leaders.increment();
            case FOLLOWER -> followers.increment();
            case REPLAY -> replays.increment();
            case OFF -> { }
        }
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
