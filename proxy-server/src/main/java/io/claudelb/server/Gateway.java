package io.claudelb.server;

import io.claudelb.core.balance.DefaultBalancer;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.balance.HealthRegistry;
import io.claudelb.core.route.Router;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.exchange.ExchangeSettings;
import java.util.function.LongSupplier;

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

    /** Validates nothing itself: {@code config} is already a validated record. In-flight exchanges keep theirs. */
    public void reload(GatewayConfig config) {
        this.snapshot = build(config);
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
