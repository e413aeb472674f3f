package io.claudelb.core.balance;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.stats.StatsSnapshot;
import io.claudelb.core.stats.UpstreamSnapshot;
import io.claudelb.core.time.NanoClock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The run-time state that outlives a config snapshot: per upstream name a breaker, a cooldown and counters
 * ({@link UpstreamHealth}), the session {@link AffinityTable}, and the global rebind count. One instance lives for
 * the whole process; each config snapshot gets its own {@link DefaultBalancer} over it, and a reload calls
 * {@link #reconcile} so names that stay keep their state (with the new thresholds) and removed names are dropped.
 */
public final class BalancerState {
    private final NanoClock clock;
    private final LongSupplier wallClockMillis;
    private final Map<String, UpstreamHealth> upstreams = new ConcurrentHashMap<>();
    private final AffinityTable affinity;
    private final LongAdder rebinds = new LongAdder();
    private volatile List<String> order;
    private volatile FailureClassifier classifier;

    /**
     * @param clock           monotonic time for breakers, cooldowns and affinity expiry
     * @param wallClockMillis wall time, for "last failure" on /stats
     */
    public BalancerState(GatewayConfig config, NanoClock clock, LongSupplier wallClockMillis) {
        this.clock = clock;
        this.wallClockMillis = wallClockMillis;
        this.affinity = new AffinityTable(config.balancing(), clock, new AffinityTable.Listener() {
            @Override
            public void bound(String upstream) {
                UpstreamHealth h = upstreams.get(upstream);
                if (h != null) {
                    h.stats().bound();
                }
            }

            @Override
            public void unbound(String upstream) {
                UpstreamHealth h = upstreams.get(upstream);
                if (h != null) {
                    h.stats().unbound();
                }
            }
        });
        reconcile(config);
    }

    /** Production: the system clocks. */
    public BalancerState(GatewayConfig config) {
        this(config, NanoClock.SYSTEM, System::currentTimeMillis);
    }

    /**
     * Adopts a new config snapshot: upstreams still named keep their breaker, cooldown, counters and session
     * bindings (thresholds and caps updated); new names start clean; removed names and their bindings go.
     */
    public synchronized void reconcile(GatewayConfig config) {
        HealthSettings settings = config.health();
        FailureClassifier newClassifier = new FailureClassifier(settings);
        Set<String> names = new HashSet<>();
        List<String> newOrder = new ArrayList<>();
        for (UpstreamConfig u : config.upstreams()) {
            names.add(u.name());
            newOrder.add(u.name());
            UpstreamHealth existing = upstreams.get(u.name());
            if (existing != null) {
                existing.reconfigure(u, settings);
            } else {
                upstreams.put(u.name(), new UpstreamHealth(u, settings));
            }
        }
        Set<String> removed = new HashSet<>(upstreams.keySet());
        removed.removeAll(names);
        affinity.forgetUpstreams(removed);
        upstreams.keySet().removeAll(removed);
        affinity.reconfigure(config.balancing());
        this.order = List.copyOf(newOrder);
        this.classifier = newClassifier;
    }

    /** The state of an upstream, or null when the current config has no upstream of that name. */
    public UpstreamHealth upstream(String name) {
        return upstreams.get(name);
    }

    /** Upstream names in config order. */
    public List<String> names() {
        return order;
    }

    /** The failure classifier of the current {@code health:} settings. */
    public FailureClassifier classifier() {
        return classifier;
    }

    public AffinityTable affinity() {
        return affinity;
    }

    NanoClock clock() {
        return clock;
    }

    long wallClockMillis() {
        return wallClockMillis.getAsLong();
    }

    /** A session bound to {@code from} was moved elsewhere. */
    void recordRebind(String from) {
        rebinds.increment();
        UpstreamHealth h = upstreams.get(from);
        if (h != null) {
            h.stats().reboundAway();
        }
    }

    /** Sessions moved to another upstream since start. */
    public long rebinds() {
        return rebinds.sum();
    }

    /** Closes every breaker and clears every cooldown ({@code POST /reset}); counters and bindings stay. */
    public void resetAll() {
        for (UpstreamHealth h : upstreams.values()) {
            h.reset();
        }
    }

    /** Resets one upstream ({@code POST /reset/{name}}); false when no upstream has that name. */
    public boolean reset(String name) {
        UpstreamHealth h = upstreams.get(name);
        if (h == null) {
            return false;
        }
        h.reset();
        return true;
    }

    /**
     * Upstreams a request could be sent to now (breaker not open, no cooldown, not found unreachable by an active
     * probe): {@code /readyz} and {@code /health}.
     */
    public long availableCount() {
        long now = clock.nanoTime();
        long n = 0;
        for (UpstreamHealth h : upstreams.values()) {
            if (h.available(now)) {
                n++;
            }
        }
        return n;
    }

    /** The /stats view, one row per upstream in config order. */
    public StatsSnapshot snapshot() {
        long now = clock.nanoTime();
        List<UpstreamSnapshot> rows = new ArrayList<>();
        for (String name : order) {
            UpstreamHealth h = upstreams.get(name);
            if (h != null) {
                rows.add(h.snapshot(now));
            }
        }
        return new StatsSnapshot(rows, affinity.size(), rebinds.sum());
    }
}
