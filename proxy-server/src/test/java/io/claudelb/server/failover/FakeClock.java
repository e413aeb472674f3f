package io.claudelb.server.failover;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that stands still until a test advances it: breakers, cooldowns and affinity expiry then move
 * exactly as far as the test says, so no test sleeps. Read from every event loop, hence atomic.
 */
final class FakeClock implements NanoClock {
    private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

    @Override
    public long nanoTime() {
        return now.get();
    }

    void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
