package io.claudelb.server.metrics;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The time-to-first-byte percentiles of {@code /stats} ({@code ttfb_p50_ms}, {@code ttfb_p99_ms}) per upstream,
 * over the last {@link #WINDOW}: an {@link ExchangeObserver} recording each request an upstream answered well into
 * a Micrometer timer whose percentiles come from a ring of {@link #BUFFERS} HdrHistograms, one rotated out every
 * minute, so the figures follow what happens now instead of averaging over the whole uptime. Kept in a registry
 * of its own (not {@code /metrics}, where Prometheus computes quantiles from buckets) and recorded whether or not
 * metrics are enabled. Lock-free per sample; a read is a snapshot of one histogram.
 */
public final class WindowedLatencies implements ExchangeObserver {
    static final Duration WINDOW = Duration.ofMinutes(5);
    static final int BUFFERS = 5;

    private final SimpleMeterRegistry registry;
    private final Map<String, Timer> byUpstream = new ConcurrentHashMap<>();

    /** On the gateway's clocks, so a test moves the window with its fake clock. */
    public WindowedLatencies(NanoClock clock, LongSupplier wallMillis) {
        this.registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, new MeterClock(clock, wallMillis));
    }

    /** p50 and p99 in milliseconds. */
    public record Percentiles(double p50Millis, double p99Millis) {
        public static final Percentiles NONE = new Percentiles(0, 0);
    }

    @Override
    public void exchangeEnded(ExchangeEvent e) {
        // What the old per-attempt figure measured: answers an upstream gave (not claude-lb's own, not an error,
        // not a copy of another request's call), from receipt to the head reaching the client.
        if (e.upstream() == null || e.answeredLocally() || e.ttfbNanos() < 0 || !e.role().calledUpstream()
                || e.status() < 200 || e.status() >= 300) {
            return;
        }
        byUpstream.computeIfAbsent(e.upstream(), this::timer).record(e.ttfbNanos(), TimeUnit.NANOSECONDS);
    }

    /** The upstream's percentiles over the window; zeros when it answered nothing in it. */
    public Percentiles timeToFirstByte(String upstream) {
        Timer t = byUpstream.get(upstream);
        if (t == null) {
            return Percentiles.NONE;
        }
        HistogramSnapshot s = t.takeSnapshot();
        double p50 = 0;
        double p99 = 0;
        for (ValueAtPercentile v : s.percentileValues()) {
            if (v.percentile() == 0.5) {
                p50 = v.value(TimeUnit.MILLISECONDS);
            } else if (v.percentile() == 0.99) {
                p99 = v.value(TimeUnit.MILLISECONDS);
            }
        }
        return new Percentiles(p50, p99);
    }

    private Timer timer(String upstream) {
        return Timer.builder("claude_lb.stats.ttfb").tag("upstream", upstream)
                .publishPercentiles(0.5, 0.99)
                .percentilePrecision(2)
                .distributionStatisticExpiry(WINDOW)
                .distributionStatisticBufferLength(BUFFERS)
                .register(registry);
    }
}
