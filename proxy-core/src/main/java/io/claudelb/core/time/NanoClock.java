package io.claudelb.core.time;

/**
 * The time source of everything that measures durations (breakers, cooldowns, affinity expiry, timings).
 * Production uses {@link #SYSTEM}; tests pass a fake they advance by hand, so no test sleeps.
 */
@FunctionalInterface
public interface NanoClock {
    NanoClock SYSTEM = System::nanoTime;

    /** Monotonic nanoseconds, as {@link System#nanoTime()}. */
    long nanoTime();
}
