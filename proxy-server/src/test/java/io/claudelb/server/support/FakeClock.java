package io.claudelb.server.support;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link NanoClock} that stands still until a test advances it (tests only): breakers, cooldowns, affinity and
 * token expiry then move exactly as far as the test says, so no test sleeps. One instance can be shared by the proxy
 * and a mock so both agree on expiry; read from every event loop, hence atomic.
 */
public final class FakeClock implements NanoClock {
    private final AtomicLong now = new AtomicLong(Duration.ofHours(1).toNanos());

    @Override
    public long nanoTime() {
        return now.get();
    }

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }
}
