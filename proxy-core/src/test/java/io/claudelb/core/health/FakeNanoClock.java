package io.claudelb.core.health;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link NanoClock} that only moves when a test advances it. */
public final class FakeNanoClock implements NanoClock {
    private final AtomicLong now;

    public FakeNanoClock() {
        this(1_000_000_000_000L);
    }

    public FakeNanoClock(long start) {
        this.now = new AtomicLong(start);
    }

    @Override
    public long nanoTime() {
        return now.get();
    }

    public void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }
}
