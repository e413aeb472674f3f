package io.claudelb.core.stats;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed log-bucket histogram of durations (time to first byte), for p50/p99 on /stats. Microsecond resolution;
 * below 8 µs every microsecond has its own bucket, above that each power of two is split into 8 buckets, so a
 * reported percentile is within about 6% of the true value. Values beyond about 25 days land in the last bucket.
 *
 * <p>Lock-free and allocation-free per sample (one atomic increment); a percentile read walks the 320 counters
 * without a consistent cut across them, which is fine for a monitoring figure. Counts since start (or since
 * {@link #clear()}).
 */
public final class LatencyHistogram {
    private static final int SUB_BUCKET_BITS = 3;
    private static final int SUB_BUCKETS = 1 << SUB_BUCKET_BITS;
    /** Largest power of two tracked: 2^41 µs is about 25 days. */
    private static final int MAX_EXPONENT = 41;
    static final int BUCKETS = (MAX_EXPONENT - SUB_BUCKET_BITS + 2) * SUB_BUCKETS;
    private static final long MAX_MICROS = (1L << (MAX_EXPONENT + 1)) - 1;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);

    /** Adds one sample; negative durations count as zero. */
    public void record(long nanos) {
        counts.incrementAndGet(bucket(nanos / 1_000));
    }

    static int bucket(long micros) {
        long v = Math.min(Math.max(micros, 0), MAX_MICROS);
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BUCKET_BITS)) & (SUB_BUCKETS - 1);
        return (exponent - SUB_BUCKET_BITS + 1) * SUB_BUCKETS + sub;
    }

    /** Smallest value (µs) that falls into {@code bucket}. */
    static long lowerBound(int bucket) {
        if (bucket < SUB_BUCKETS) {
            return bucket;
        }
        int exponent = bucket / SUB_BUCKETS + SUB_BUCKET_BITS - 1;
        long sub = bucket % SUB_BUCKETS;
        return (SUB_BUCKETS + sub) << (exponent - SUB_BUCKET_BITS);
    }

    static long width(int bucket) {
        return bucket < SUB_BUCKETS ? 1 : 1L << (bucket / SUB_BUCKETS - 1);
    }

    public long count() {
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            total += counts.get(i);
        }
        return total;
    }

    /**
     * The {@code quantile} (0 to 1) in milliseconds, as the middle of the bucket holding it; 0 with no samples.
     */
    public double percentileMillis(double quantile) {
        if (!(quantile >= 0 && quantile <= 1)) {
            throw new IllegalArgumentException("quantile must be within [0, 1], got " + quantile);
        }
        long[] snapshot = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            snapshot[i] = counts.get(i);
            total += snapshot[i];
        }
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += snapshot[i];
            if (seen >= rank) {
                return (lowerBound(i) + width(i) / 2.0) / 1_000.0;
            }
        }
        return (lowerBound(BUCKETS - 1) + width(BUCKETS - 1) / 2.0) / 1_000.0;
    }

    public void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
    }
}
