package io.claudelb.bench.load;

import java.util.Arrays;

/**
 * A growable array of long samples (microseconds) with exact percentiles: the load client keeps every inter-event
 * gap and first-byte time of a run (a few million at most), so no histogram resolution is lost. One per event
 * loop, merged after the loops have stopped; not thread-safe.
 */
final class Samples {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.values[i]);
        }
    }

    int size() {
        return size;
    }

    /** Summary as a JSON object: count, p50, p90, p99, p999, max (0s when empty). */
    String toJson() {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return "{\"count\":" + size + ",\"p50\":" + at(sorted, 0.50) + ",\"p90\":" + at(sorted, 0.90)
                + ",\"p99\":" + at(sorted, 0.99) + ",\"p999\":" + at(sorted, 0.999) + ",\"max\":"
                + (size == 0 ? 0 : sorted[size - 1]) + "}";
    }

    private static long at(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
