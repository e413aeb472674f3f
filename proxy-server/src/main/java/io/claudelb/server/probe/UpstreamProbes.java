package io.claudelb.server.probe;

import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.balance.UpstreamHealth;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.ProbeSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.backend.BackendConnector;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code health.probe}: checks every upstream of the current config every {@code interval} with a
 * {@link ConnectProbe} and tells its {@link UpstreamHealth} (the registry the breakers use) the verdict: one that
 * does not connect within {@code timeout} is left out of selection, {@code /readyz} and {@code /health} until a probe
 * connects again. Everything runs on one event loop, as a scheduled tick every {@value #TICK_MILLIS} ms that starts
 * the probes that are due and gives up on those past their timeout; the probes' own callbacks run on that loop too,
 * so the state here needs no lock and nothing ever waits. Reads the config at each tick: a reload that turns probes
 * on or off, or changes the upstreams, applies from the next tick. Times come from the gateway's clock.
 */
public final class UpstreamProbes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProbes.class);
    /** How often due probes are looked for: the resolution of interval and timeout. */
    static final long TICK_MILLIS = 250;

    /** One upstream's probing, on the loop. */
    private static final class Probing {
        long nextAt;
        long startedAt;
        Future<Void> running;

        Probing(long nextAt) {
            this.nextAt = nextAt;
        }
    }

    private final Supplier<GatewayConfig> config;
    private final BalancerState health;
    private final NanoClock clock;
    private final ConnectProbe probe;
    private final EventLoop loop;
    private final Map<String, Probing> probing = new HashMap<>();
    private ScheduledFuture<?> ticker;

    UpstreamProbes(Supplier<GatewayConfig> config, BalancerState health, NanoClock clock, ConnectProbe probe,
                   EventLoop loop) {
        this.config = config;
        this.health = health;
        this.clock = clock;
        this.probe = probe;
        this.loop = loop;
    }

    /** Probes over {@code connector}'s connections, on {@code loop}; call {@link #start()} to run them. */
    public static UpstreamProbes over(BackendConnector connector, Supplier<GatewayConfig> config,
                                      BalancerState health, NanoClock clock, EventLoop loop) {
        return new UpstreamProbes(config, health, clock, new ConnectProbe(connector), loop);
    }

    /** Starts the ticks (they do nothing while {@code health.probe} is off). */
    public void start() {
        ticker = loop.scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** One tick: give up on probes past their timeout, start those that are due. Runs on the loop. */
    void tick() {
        GatewayConfig c = config.get();
        ProbeSettings settings = c.health().probe();
        if (!settings.enabled()) {
            forgetAll();
            return;
        }
        long now = clock.nanoTime();
        long timeout = settings.timeout().toNanos();
        Set<String> names = new HashSet<>();
        for (UpstreamConfig upstream : c.upstreams()) {
            names.add(upstream.name());
            Probing p = probing.computeIfAbsent(upstream.name(), n -> new Probing(now));
            if (p.running != null) {
                if (now - p.startedAt >= timeout) {
                    Future<Void> late = p.running;
                    p.running = null;
                    late.cancel(false);
                    verdict(upstream.name(), false, "no connection within " + settings.timeout().toMillis() + " ms");
                }
                continue;
            }
            if (now - p.nextAt >= 0) {
                p.startedAt = now;
                p.nextAt = now + settings.interval().toNanos();
                Future<Void> started = probe.start(upstream, loop);
                p.running = started;
                started.addListener(f -> ended(upstream.name(), p, started));
            }
        }
        probing.keySet().removeIf(name -> {
            if (names.contains(name)) {
                return false;
            }
            cancel(probing.get(name));
            return true;
        });
    }

    private void ended(String name, Probing p, Future<Void> f) {
        if (p.running != f) {
            // Given up on at its timeout (already judged), or its upstream left the config.
            return;
        }
        p.running = null;
        verdict(name, f.isSuccess(), f.isSuccess() ? null : reason(f.cause()));
    }

    private void verdict(String name, boolean reachable, String reason) {
        UpstreamHealth h = health.upstream(name);
        if (h == null || !h.probed(reachable)) {
            return;
        }
        if (reachable) {
            LOG.info("upstream {}: probe connected again; available", name);
        } else {
            LOG.warn("upstream {}: probe failed ({}); unavailable until a probe connects", name, reason);
        }
    }

    private static String reason(Throwable t) {
        return t == null ? "unknown" : t.getClass().getSimpleName() + (t.getMessage() == null ? ""
                : ": " + t.getMessage());
    }

    /** Probes turned off: no verdict of theirs stands (an upstream they had taken out is available again). */
    private void forgetAll() {
        for (Map.Entry<String, Probing> e : probing.entrySet()) {
            cancel(e.getValue());
            UpstreamHealth h = health.upstream(e.getKey());
            if (h != null) {
                h.probed(true);
            }
        }
        probing.clear();
    }

    private static void cancel(Probing p) {
        Future<Void> running = p.running;
        p.running = null;
        if (running != null) {
            running.cancel(false);
        }
    }

    /** Stops the ticks and closes running probes. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.cancel(false);
        }
        if (loop.inEventLoop()) {
            forgetAll();
        } else if (!loop.isShuttingDown()) {
            loop.execute(this::forgetAll);
        }
    }
}
