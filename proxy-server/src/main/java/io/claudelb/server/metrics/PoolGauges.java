package io.claudelb.server.metrics;

import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.backend.PoolCounts;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Backend pool counts for {@code /metrics}. A pool's counts belong to its event loop, and a scrape must neither wait
 * for a loop nor make one wait, so a timer asks every loop for its counts ({@link BackendPools#sample}) every
 * {@link #PERIOD} and the gauges read the latest answers: a gauge is at most one period old.
 */
final class PoolGauges implements AutoCloseable {
    static final Duration PERIOD = Duration.ofSeconds(5);

    private final BackendPools pools;
    private final Map<EventLoop, Map<String, PoolCounts>> latest = new ConcurrentHashMap<>();
    private volatile ScheduledFuture<?> timer;

    PoolGauges(BackendPools pools) {
        this.pools = pools;
    }

    /** Samples now and then every {@link #PERIOD}, the timer on {@code executor} (it only posts tasks to the loops). */
    void start(EventExecutor executor) {
        timer = executor.scheduleAtFixedRate(this::sampleNow, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks every loop for its counts; they arrive a moment later, each from its own loop. */
    void sampleNow() {
        pools.sample(latest::put);
    }

    /** The latest counts of {@code upstream}'s pools over every loop. */
    PoolCounts counts(String upstream) {
        PoolCounts total = PoolCounts.NONE;
        for (Map<String, PoolCounts> perLoop : latest.values()) {
            PoolCounts c = perLoop.get(upstream);
            if (c != null) {
                total = total.plus(c);
            }
        }
        return total;
    }

    @Override
    public void close() {
        ScheduledFuture<?> t = timer;
        if (t != null) {
            t.cancel(false);
        }
    }
}
