package io.claudelb.core.health;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How long an upstream asked us to stay away ({@code retry-after} on a 429/529), as a deadline on the
 * {@link io.claudelb.core.time.NanoClock}. A later deadline wins over an earlier one; a success clears it.
 * Lock-free; clearing an already clear cooldown only reads, so the success path does not bounce a cache line
 * between event loops.
 */
public final class Cooldown {
    /** No cooldown. A real deadline that happens to equal it is moved by one nanosecond. */
    private static final long NONE = Long.MIN_VALUE;

    private final AtomicLong until = new AtomicLong(NONE);

    /** Stays away for {@code nanos} from {@code now}, unless an existing cooldown already lasts longer. */
    public void impose(long nanos, long now) {
        if (nanos <= 0) {
            return;
        }
        long deadline = now + nanos;
        if (deadline == NONE) {
            deadline++;
        }
        while (true) {
            long current = until.get();
            if (current != NONE && current - deadline >= 0) {
                return;
            }
            if (until.compareAndSet(current, deadline)) {
                return;
            }
        }
    }

    public void clear() {
        if (until.get() != NONE) {
            until.set(NONE);
        }
    }

    /** Nanoseconds left, 0 when none. */
    public long remainingNanos(long now) {
        long deadline = until.get();
        return deadline == NONE ? 0 : Math.max(0, deadline - now);
    }

    public boolean active(long now) {
        return remainingNanos(now) > 0;
    }
}
