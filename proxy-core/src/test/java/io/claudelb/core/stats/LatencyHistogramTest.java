package io.claudelb.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void emptyReportsZero() {
        LatencyHistogram h = new LatencyHistogram();
        assertThat(h.count()).isZero();
        assertThat(h.percentileMillis(0.5)).isZero();
    }

    @Test
    void bucketsAreContiguousAndBoundsRoundTrip() {
        int previous = -1;
        for (long us = 0; us < 100_000; us++) {
            int b = LatencyHistogram.bucket(us);
            assertThat(b).isBetween(previous, previous + 1);
            assertThat(us).isBetween(LatencyHistogram.lowerBound(b),
                    LatencyHistogram.lowerBound(b) + LatencyHistogram.width(b) - 1);
            previous = b;
        }
        assertThat(LatencyHistogram.bucket(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
        assertThat(LatencyHistogram.bucket(-1)).isZero();
    }

    @Test
    void p50AndP99WithinBucketPrecision() {
        LatencyHistogram h = new LatencyHistogram();
        // 1..100 ms, one sample each: p50 = 50 ms, p99 = 99 ms.
        for (int ms = 1; ms <= 100; ms++) {
            h.record(Duration.ofMillis(ms).toNanos());
        }
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentileMillis(0.5)).isCloseTo(50, within(50 * 0.07));
        assertThat(h.percentileMillis(0.99)).isCloseTo(99, within(99 * 0.07));
        assertThat(h.percentileMillis(1.0)).isCloseTo(100, within(100 * 0.07));
    }

    @Test
    void skewedDistributionSeparatesP50FromP99() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 98; i++) {
            h.record(Duration.ofMillis(200).toNanos());
        }
        h.record(Duration.ofSeconds(30).toNanos());
        h.record(Duration.ofSeconds(30).toNanos());
        assertThat(h.percentileMillis(0.5)).isCloseTo(200, within(200 * 0.07));
        assertThat(h.percentileMillis(0.99)).isCloseTo(30_000, within(30_000 * 0.07));
    }

    @Test
    void clearForgets() {
        LatencyHistogram h = new LatencyHistogram();
        h.record(1_000_000);
        h.clear();
        assertThat(h.count()).isZero();
    }

    @Test
    void rejectsQuantilesOutsideZeroToOne() {
        LatencyHistogram h = new LatencyHistogram();
        assertThatThrownBy(() -> h.percentileMillis(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.percentileMillis(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
