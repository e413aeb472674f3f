package io.claudelb.server.metrics;

import io.claudelb.core.limit.LimitKind;
import io.claudelb.server.admission.Admissions;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.coalesce.CoalescingStats;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.observe.ActiveExchanges;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.usage.StorageStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.PlatformDependent;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Everything {@code GET /metrics} shows, in one Micrometer Prometheus registry: the per-request series of
 * {@link MetricsObserver} (register {@link #observer()} with the exchange observers), per-upstream health and pool
 * gauges ({@link UpstreamMeters}, following reloads), coalescing, admission and usage-storage counters, client
 * connections, Netty's direct memory and the JVM (Micrometer's binders). {@link #scrape()} writes the text format;
 * it reads counters and gauges only, never waits for an event loop, and is meant to run on the control plane.
 */
public final class GatewayMetrics implements AutoCloseable {
    /** The Prometheus text format (0.0.4), what every Prometheus version scrapes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final MetricsObserver observer;
    private final PoolGauges pools;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * What the gauges read; everything is read when scraped.
     *
     * @param gateway           the balancer state, config reloads, clocks
     * @param backendPools      sampled every {@link PoolGauges#PERIOD} by a timer on {@code timer}
     * @param coalescing        what coalescing saved
     * @param coalescingCalls   upstream calls coalescing tracks now
     * @param storage           the usage writer's queue and database
     * @param active            proxied requests and streams running now
     * @param clientConnections client connections open now
     */
    public GatewayMetrics(Gateway gateway, BackendPools backendPools, CoalescingStats coalescing,
                          LongSupplier coalescingCalls, StorageStats storage, ActiveExchanges active,
                          IntSupplier clientConnections,
                          EventExecutor timer) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                new MeterClock(gateway.clock(), gateway.wallClock()));
        SeriesLabels labels = new SeriesLabels(gateway.snapshot().config());
        this.observer = new MetricsObserver(registry, labels);
        this.pools = new PoolGauges(backendPools);
        UpstreamMeters upstreams = new UpstreamMeters(registry, gateway.balancerState(), pools, gateway.clock());
        upstreams.reconfigure(gateway.snapshot().config());
        gateway.onReload(config -> {
            labels.reconfigure(config);
            upstreams.reconfigure(config);
        });
        coalescing(coalescing, coalescingCalls);
        admissions(gateway.admissions());
        storage(storage);
        Gauge.builder("claude_lb.active.streams", active::streams)
                .description("Streaming requests being answered now").register(registry);
        Gauge.builder("claude_lb.active.requests", active::requests)
                .description("Proxied requests being answered now, streams included").register(registry);
        Gauge.builder("claude_lb.client.connections", clientConnections::getAsInt)
                .description("Client connections open now").register(registry);
        netty();
        jvm();
        pools.start(timer);
    }

    /** The observer that records each finished request; register it with the gateway's exchange observers. */
    public ExchangeObserver observer() {
        return observer;
    }

    /** The registry, for tests and for series a feature adds. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Every series in the Prometheus text format. Off the event loops: it walks every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** {@link #scrape()} written into {@code out} (no intermediate string). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out);
    }

    private void coalescing(CoalescingStats stats, LongSupplier calls) {
        counter("claude_lb.coalescing.upstream_calls_saved", stats, CoalescingStats::upstreamCallsSaved,
                "Upstream calls identical requests did not make (every follower and replay)");
        counter("claude_lb.coalescing.fanned_out", stats, CoalescingStats::bytesFannedOut,
                "Body bytes sent to followers and replays from another request's call", "bytes");
        counter("claude_lb.coalescing.followers_dropped", stats, CoalescingStats::followersDropped,
                "Followers dropped for falling further behind than dedup.max_replay_bytes");
        counter("claude_lb.coalescing.linger_hits", stats, CoalescingStats::lingerHits,
                "Retries that found their abandoned call still running in dedup.linger");
        Gauge.builder("claude_lb.coalescing.calls", calls::getAsLong)
                .description("Upstream calls coalescing tracks now (running, lingering or kept for replay)")
                .register(registry);
    }

    private void admissions(Admissions admissions) {
        for (LimitKind kind : LimitKind.values()) {
            FunctionCounter.builder("claude_lb.admission.rejections", admissions, a -> a.refused(kind))
                    .tag("limit", kind.wireName())
                    .description("Requests refused with 429 before any upstream call, by the limit that refused")
                    .register(registry);
        }
    }

    private void storage(StorageStats s) {
        Gauge.builder("claude_lb.usage.queue.pending", s::pending)
                .description("Usage records accepted and not yet written to the database").register(registry);
        Gauge.builder("claude_lb.usage.queue.capacity", s::capacity)
                .description("The usage queue's bound (storage.queue_capacity)").register(registry);
        Gauge.builder("claude_lb.usage.database.up", () -> s.databaseUp() ? 1 : 0)
                .description("1 while the usage database answers").register(registry);
        counter("claude_lb.usage.records.written", s, StorageStats::written, "Usage records written to the database");
        counter("claude_lb.usage.records.dropped", s, StorageStats::dropped,
                "Usage records lost: the queue was full, or shutdown came first");
        counter("claude_lb.usage.write.failures", s, StorageStats::failedWrites,
                "Batches of usage records whose write failed (kept and written again)");
    }

    /** Netty's own direct memory accounting and its allocator's, which the JVM's buffer pool gauges do not see. */
    private void netty() {
        Gauge.builder("claude_lb.netty.direct_memory.used", PlatformDependent::usedDirectMemory).baseUnit("bytes")
                .description("Direct memory Netty has reserved (-1 when Netty does not count it)").register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            ByteBufAllocatorMetric metric = provider.metric();
            Gauge.builder("claude_lb.netty.allocator.used", metric::usedDirectMemory).tag("area", "direct")
                    .baseUnit("bytes").description("Memory held by Netty's buffer allocator").register(registry);
            Gauge.builder("claude_lb.netty.allocator.used", metric::usedHeapMemory).tag("area", "heap")
                    .baseUnit("bytes").description("Memory held by Netty's buffer allocator").register(registry);
        }
    }

    private void jvm() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /**
     * Counts the log lines the asynchronous appender dropped (its queue was full: the destination is slower than
     * the gateway). Registered by whoever installed the log output, which starts before the gateway does.
     */
    public void countDroppedLogLines(LongSupplier dropped) {
        counter("claude_lb.log.dropped.lines", dropped, LongSupplier::getAsLong,
                "Log lines dropped because the log queue was full (appends never wait on an event loop)");
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description) {
        counter(name, source, value, description, null);
    }

    private <T> void counter(String name, T source, ToDoubleFunction<T> value, String description, String unit) {
        FunctionCounter.builder(name, source, value).baseUnit(unit).description(description).register(registry);
    }

    @Override
    public void close() {
        pools.close();
        gc.close();
        registry.close();
    }
}
