package io.claudelb.core.limit;

import io.claudelb.core.time.NanoClock;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import java.time.Duration;

/**
 * Makes and reshapes the per-minute token buckets of the limits (Bucket4j's lock-free local buckets, on the
 * gateway's {@link NanoClock} so tests move time by hand). A bucket of capacity N refills N per minute,
 * continuously, as Anthropic's own limits do.
 */
final class MinuteBuckets {
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final TimeMeter meter;
    private final NanoClock clock;
    private final java.util.function.LongSupplier wallMillis;

    MinuteBuckets(NanoClock clock, java.util.function.LongSupplier wallMillis) {
        this.clock = clock;
        this.wallMillis = wallMillis;
        this.meter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return clock.nanoTime();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
    }

    /** A full bucket of {@code perMinute}, or null for 0 (no limit). */
    Bucket create(long perMinute) {
        return perMinute <= 0 ? null : Bucket.builder().addLimit(bandwidth(perMinute)).withCustomTimePrecision(meter)
                .build();
    }

    /**
     * The bucket for a new per-minute figure, keeping what was used: a bucket that had 4 of 10 used has 4 of 20
     * used after the limit doubled, and 4 of 5 after it halved (at least 0 left unless it already was in debt), so a
     * reload neither forgives nor punishes recent traffic. Bucket4j's ADDITIVE inheritance does the growing case;
     * shrinking is levelled here (ADDITIVE keeps the available tokens then).
     */
    Bucket reshape(Bucket current, long oldPerMinute, long perMinute) {
        if (perMinute <= 0) {
            return null;
        }
        if (current == null) {
            return create(perMinute);
        }
        if (oldPerMinute != perMinute) {
            long before = current.getAvailableTokens();
            current.replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(perMinute)).build(),
                    TokensInheritanceStrategy.ADDITIVE);
            long wanted = Math.min(perMinute, before + perMinute - oldPerMinute);
            if (before >= 0) {
                wanted = Math.max(0, wanted);
            }
            long now = current.getAvailableTokens();
            if (now > wanted) {
                current.consumeIgnoringRateLimits(now - wanted);
            } else if (now < wanted) {
                current.addTokens(wanted - now);
            }
        }
        return current;
    }

    /** Nanoseconds until {@code tokens} are available (0 when they are now). */
    static long nanosUntil(Bucket bucket, long tokens) {
        return bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill();
    }

    /** The bucket as rate-limit headers show it. */
    BucketView view(Bucket bucket, long perMinute) {
        long available = bucket.getAvailableTokens();
        long untilFull = available >= perMinute ? 0 : nanosUntil(bucket, perMinute);
        return new BucketView(perMinute, Math.max(0, available), wallMillis.getAsLong() + untilFull / 1_000_000);
    }

    long wallMillis() {
        return wallMillis.getAsLong();
    }

    NanoClock clock() {
        return clock;
    }

    private static Bandwidth bandwidth(long perMinute) {
        return Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, MINUTE).build();
    }
}
