package io.claudelb.server;

import io.claudelb.core.balance.DefaultBalancer;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.balance.HealthRegistry;
import io.claudelb.core.route.Router;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.exchange.ExchangeSettings;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The running gateway's state that outlives one config: the current {@link Snapshot} (swapped atomically on reload),
 * the health registry (carried over by upstream name), clocks, and what exchanges share.
 */
public final class Gateway {
    private final NanoClock clock;
    private final LongSupplier wallClock;
    private final HealthRegistry health;
    private final ExchangeSettings exchangeSettings;
    private volatile Snapshot snapshot;
    private volatile Supplier<GatewayConfig> reloadSource;

    public Gateway(GatewayConfig config, NanoClock clock, LongSupplier wallClock, ExchangeSettingsFactory settings) {
        this.clock = clock;
        this.wallClock = wallClock;
        this.health = new HealthRegistry(config, clock, wallClock);
        this.snapshot = build(config);
        this.exchangeSettings = settings.create(config);
    }

    /** Creates what exchanges share once the first config is known. */
    @FunctionalInterface
    public interface ExchangeSettingsFactory {
        ExchangeSettings create(GatewayConfig config);
    }

    private Snapshot build(GatewayConfig config) {
        health.reconcile(config);
        return new Snapshot(config, new Router(config),
                DefaultBalancer.create(config, health),
                new FailureClassifier(config.health()));
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    /**
     * Swaps in a new config: {@code config} is already a validated record, so a bad file never gets here and the
     * running snapshot stays. In-flight exchanges finish on the snapshot they started with; health, cooldowns and
     * session bindings carry over by upstream name. Listen address and thread settings need a restart.
     */
    public synchronized void reload(GatewayConfig config) {
        this.snapshot = build(config);
    }

    /** Where {@link #reloadFromSource()} reads the config (the file the server was started with). */
    public void reloadSource(Supplier<GatewayConfig> source) {
        this.reloadSource = source;
    }

    /**
     * Loads the config again from its source and swaps it in.
     *
     * @return the new config
     * @throws IllegalStateException when the gateway was not started from a file
     * @throws io.claudelb.core.config.ConfigException when the file is invalid (nothing changes then)
     */
    public GatewayConfig reloadFromSource() {
        Supplier<GatewayConfig> source = reloadSource;
        if (source == null) {
            throw new IllegalStateException("this gateway was not started from a config file");
        }
        GatewayConfig next = source.get();
        reload(next);
        return next;
    }

    public HealthRegistry health() {
        return health;
    }

    public ExchangeSettings exchangeSettings() {
        return exchangeSettings;
    }

    public NanoClock clock() {
        return clock;
    }

    public LongSupplier wallClock() {
        return wallClock;
    }
}
