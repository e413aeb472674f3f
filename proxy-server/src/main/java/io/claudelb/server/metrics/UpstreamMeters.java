package io.claudelb.server.metrics;

import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.balance.UpstreamHealth;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.BreakerState;
import io.claudelb.core.time.NanoClock;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The per-upstream gauges of {@code /metrics}: requests in flight, breaker state and time to half-open, retry-after
 * cooldown, availability, session bindings and rebinds (from the balancer's state), and pool connections open, idle
 * and pending (from {@link PoolGauges}). One set per configured upstream: a reload registers the new names' and
 * removes the gone ones', so no series outlives its upstream. Values are read when scraped, off the event loops.
 */
final class UpstreamMeters {
    private final MeterRegistry registry;
    private final BalancerState balancer;
    private final PoolGauges pools;
    private final NanoClock clock;
    private final Map<String, List<Meter>> byUpstream = new HashMap<>();

    UpstreamMeters(MeterRegistry registry, BalancerState balancer, PoolGauges pools, NanoClock clock) {
        this.registry = registry;
        this.balancer = balancer;
        this.pools = pools;
        this.clock = clock;
    }

    /** Called at start and after each reload (never on an event loop). */
    synchronized void reconfigure(GatewayConfig config) {
        Set<String> names = new HashSet<>();
        for (UpstreamConfig u : config.upstreams()) {
            names.add(u.name());
            byUpstream.computeIfAbsent(u.name(), this::register);
        }
        byUpstream.entrySet().removeIf(e -> {
            if (names.contains(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
    }

    private List<Meter> register(String name) {
        List<Meter> meters = new ArrayList<>();
        meters.add(gauge("claude_lb.upstream.in_flight", name, h -> h.stats().inFlight(),
                "Requests (streams included) this upstream is answering now"));
        for (BreakerState state : BreakerState.values()) {
            meters.add(Gauge.builder("claude_lb.upstream.breaker.state", () -> {
                UpstreamHealth h = balancer.upstream(name);
                return h == null ? Double.NaN : h.breaker().state(clock.nanoTime()) == state ? 1 : 0;
            }).tags("upstream", name, "state", state.configName())
                    .description("1 for the state the upstream's circuit breaker is in, 0 for the others")
                    .register(registry));
        }
        meters.add(gauge("claude_lb.upstream.breaker.half_open.delay", name,
                h -> h.breaker().nanosUntilHalfOpen(clock.nanoTime()) / 1e9, "seconds",
                "While the breaker is open: seconds until it admits a probe"));
        meters.add(gauge("claude_lb.upstream.cooldown", name,
                h -> h.cooldown().remainingNanos(clock.nanoTime()) / 1e9, "seconds",
                "Retry-after cooldown left (a 429/529 that asked for a pause)"));
        meters.add(gauge("claude_lb.upstream.available", name, h -> h.eligible(clock.nanoTime()) ? 1 : 0,
                "1 when a request could be sent to this upstream now (breaker admits, no cooldown)"));
        meters.add(gauge("claude_lb.affinity.bindings", name, h -> h.stats().affinityBindings(),
                "Sessions bound to this upstream now"));
        meters.add(FunctionCounter.builder("claude_lb.affinity.rebinds", this,
                m -> {
                    UpstreamHealth h = balancer.upstream(name);
                    return h == null ? Double.NaN : h.stats().rebinds();
                }).tag("upstream", name)
                .description("Sessions moved off this upstream because it was open, cooling down or failed "
                        + "(each one rebuilds its prompt cache elsewhere)")
                .register(registry));
        meters.add(Gauge.builder("claude_lb.pool.connections.open", () -> pools.counts(name).open())
                .tag("upstream", name).description("Backend connections open or connecting (sampled every 5 s)")
                .register(registry));
        meters.add(Gauge.builder("claude_lb.pool.connections.idle", () -> pools.counts(name).idle())
                .tag("upstream", name).description("Backend connections pooled, waiting for a request (sampled)")
                .register(registry));
        meters.add(Gauge.builder("claude_lb.pool.acquires.pending", () -> pools.counts(name).pending())
                .tag("upstream", name).description("Requests waiting for a backend connection (sampled)")
                .register(registry));
        return meters;
    }

    private Gauge gauge(String metric, String name, ToDoubleFunction<UpstreamHealth> value, String description) {
        return gauge(metric, name, value, null, description);
    }

    private Gauge gauge(String metric, String name, ToDoubleFunction<UpstreamHealth> value, String unit,
                        String description) {
        return Gauge.builder(metric, () -> {
            UpstreamHealth h = balancer.upstream(name);
            return h == null ? Double.NaN : value.applyAsDouble(h);
        }).tag("upstream", name).baseUnit(unit).description(description).register(registry);
    }
}
