package io.claudelb.server.gateway;

import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.balance.DefaultBalancer;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.route.DiscoveredModels;
import io.claudelb.core.route.Router;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.admission.Admissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The running gateway's state that outlives one config: the current {@link ConfigSnapshot} (swapped atomically on reload),
 * the health registry (carried over by upstream name), the limits' counters, clocks, and what exchanges share.
 */
public final class Gateway {
    private final NanoClock clock;
    private final LongSupplier wallClock;
    private final BalancerState health;
    private final ExchangeServices exchangeServices;
    private final ControlPlane controlPlane = new ControlPlane();
    private final Admissions admissions;
    private final DiscoveredModels discovered = new DiscoveredModels();
    private final OpenRelayCheck openRelayCheck;
    /** The config the gateway started with: what the restart-only settings still are. */
    private final GatewayConfig started;
    private final List<Consumer<GatewayConfig>> reloadListeners = new CopyOnWriteArrayList<>();
    private volatile ConfigSnapshot snapshot;
    private volatile Supplier<GatewayConfig> reloadSource;

    public Gateway(GatewayConfig config, NanoClock clock, LongSupplier wallClock, ExchangeServices services) {
        this.clock = clock;
        this.wallClock = wallClock;
        this.health = new BalancerState(config, clock, wallClock);
        this.openRelayCheck = OpenRelayCheck.forListen(config.server().host());
        this.started = config;
        this.admissions = new Admissions(config.limits(), clock, wallClock);
        this.snapshot = build(config);
        this.exchangeServices = services;
    }

    private ConfigSnapshot build(GatewayConfig config) {
        health.reconcile(config);
        return new ConfigSnapshot(config, new Router(config, discovered),
                DefaultBalancer.create(config, health),
                new FailureClassifier(config.health()));
    }

    public ConfigSnapshot snapshot() {
        return snapshot;
    }

    /**
     * Swaps in a new config: {@code config} is already a validated record, so a bad file never gets here and the
     * running snapshot stays. In-flight exchanges finish on the snapshot they started with; health, cooldowns and
     * session bindings carry over by upstream name. What only a restart applies ({@link RestartOnlySettings}) keeps
     * its value from the start and is returned, for the reload's answer and log line to say.
     *
     * @return the restart-only settings {@code config} changes against the running gateway (empty: applied whole)
     * @throws io.claudelb.core.config.ConfigException when the config would turn the listener into an open relay
     *     (no client keys on a non-loopback address, {@link OpenRelayCheck}); the running snapshot stays
     */
    public synchronized List<String> reload(GatewayConfig config) {
        openRelayCheck.check(config);
        this.snapshot = build(config);
        admissions.reconfigure(config.limits());
        // Upstreams that left (or changed) stop refreshing their AWS credentials, and their pools and tokens go.
        exchangeServices.aws().retainOnly(config.upstreams());
        exchangeServices.tokens().retainOnly(config.upstreams());
        exchangeServices.pools().retainOnly(config.upstreams());
        reloadListeners.forEach(l -> l.accept(config));
        return RestartOnlySettings.changed(started, config);
    }

    /** Told about every config swapped in by {@link #reload} (the Databricks endpoint discovery follows it). */
    public void onReload(Consumer<GatewayConfig> listener) {
        reloadListeners.add(listener);
    }

    /**
     * What each Databricks workspace serves, as its discovery last listed it; shared by every snapshot's router, so
     * a new listing changes routing without a reload.
     */
    public DiscoveredModels discovered() {
        return discovered;
    }

    /** Where {@link #reloadFromSource()} reads the config (the file the server was started with). */
    public void reloadSource(Supplier<GatewayConfig> source) {
        this.reloadSource = source;
    }

    /**
     * Loads the config again from its source and swaps it in.
     *
     * @return the new config and what of it needs a restart
     * @throws IllegalStateException when the gateway was not started from a file
     * @throws io.claudelb.core.config.ConfigException when the file is invalid (nothing changes then)
     */
    public Reloaded reloadFromSource() {
        Supplier<GatewayConfig> source = reloadSource;
        if (source == null) {
            throw new IllegalStateException("this gateway was not started from a config file");
        }
        GatewayConfig next = source.get();
        return new Reloaded(next, reload(next));
    }

    public BalancerState balancerState() {
        return health;
    }

    /** Limits and budgets of proxied requests (reconfigured on reload, counts kept). */
    public Admissions admissions() {
        return admissions;
    }

    public ExchangeServices exchangeServices() {
        return exchangeServices;
    }

    /** The thread for work that must not run on an event loop (reloads, file reads, admin queries). */
    public ControlPlane controlPlane() {
        return controlPlane;
    }

    public NanoClock clock() {
        return clock;
    }

    public LongSupplier wallClock() {
        return wallClock;
    }
}
