package io.claudelb.server.log;

import io.claudelb.core.time.NanoClock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A WARN for an event that repeats whenever the network misbehaves (a connection refused at
 * {@code max_connections}, a TLS handshake an upstream keeps failing): at most one line per interval, each saying how
 * many like it were held back since the previous one, so a flood of them cannot flood the log. Every occurrence
 * is still logged at DEBUG. Safe to share between event loops.
 */
public final class ThrottledWarning {
    /** How often a repeating warning may be written by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    private final Logger log;
    private final long intervalNanos;
    private final NanoClock clock;
    /** When the next WARN may be written; {@link Long#MIN_VALUE} before the first one. */
    private final AtomicLong nextWarning = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong heldBack = new AtomicLong();

    public ThrottledWarning(Logger log, Duration interval, NanoClock clock) {
        this.log = log;
        this.intervalNanos = interval.toNanos();
        this.clock = clock;
    }

    /**
     * Logs {@code message} (a slf4j format) at WARN if none was written in the interval, with the count of those
     * held back since the last one appended; else counts it and logs it at DEBUG only.
     */
    public void warn(String message, Object... args) {
        long now = clock.nanoTime();
        long next = nextWarning.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextWarning.compareAndSet(next, now + intervalNanos)) {
            long held = heldBack.getAndSet(0);
            if (held == 0) {
                log.warn(message, args);
            } else {
                log.warn(message + " ({} more like it since the previous warning, logged at DEBUG)",
                        append(args, held));
            }
        } else {
            heldBack.incrementAndGet();
            log.debug(message, args);
        }
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] all = Arrays.copyOf(args, args.length + 1);
        all[args.length] = last;
        return all;
    }
}
