package io.claudelb.server;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.auth.CredentialThread;
import io.claudelb.server.backend.BackendConnector;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.coalesce.Coalescing;
import io.claudelb.server.coalesce.CoalescingRegistry;
import io.claudelb.server.databricks.DatabricksDiscovery;
import io.claudelb.server.gateway.ExchangeServices;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.gateway.OpenRelayCheck;
import io.claudelb.server.inbound.ClientInitializer;
import io.claudelb.server.inbound.ExchangeHandler;
import io.claudelb.server.inbound.LocalAnswers;
import io.claudelb.server.inbound.RequestGuard;
import io.claudelb.server.local.LocalEndpoints;
import io.claudelb.server.log.AccessLog;
import io.claudelb.server.metrics.GatewayMetrics;
import io.claudelb.server.metrics.WindowedLatencies;
import io.claudelb.server.observe.ActiveExchanges;
import io.claudelb.server.observe.ExchangeObservers;
import io.claudelb.server.probe.UpstreamProbes;
import io.claudelb.server.transport.Transport;
import io.claudelb.server.usage.UsageObserver;
import io.claudelb.server.usage.UsageStore;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * claude-lb's server: binds the listening socket, owns the event loops (shared by client and backend channels so a
 * backend connection lives on its client's loop), and shuts down gracefully: stop accepting, let running exchanges
 * finish up to the grace period, then close what is left.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** Client and backend channels: pause reading upstream above 256 KiB queued for a client, resume below 64 KiB. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(64 * 1024, 256 * 1024);
    /** How long streams cut at the end of the shutdown grace get to flush their closing error event. */
    private static final long CUT_FLUSH_MILLIS = 1_000;
    /** How long an event loop stays open at the end without being handed a task (loop-to-loop hand-offs). */
    private static final long HAND_OFF_QUIET_MILLIS = 50;
    /** How long start-up waits for the usage database before serving without it. */
    private static final Duration USAGE_READY_WAIT = Duration.ofSeconds(10);
    /** How long shutdown keeps writing queued usage records to a slow or absent database. */
    private static final Duration USAGE_FLUSH_GRACE = Duration.ofSeconds(10);

    private final Gateway gateway;
    private final EventLoopGroup group;
    private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
    private final BackendConnector connector;
    private final BackendPools pools;
    private final Channel serverChannel;
    private final Transport transport;
    private final UsageStore usage;
    private final DatabricksDiscovery discovery;
    /** Null when {@code metrics.enabled} was false at start. */
    private final GatewayMetrics metrics;
    private final UpstreamProbes probes;
    private volatile boolean stopped;
    /** Set first thing in {@link #stop}: {@code /readyz} answers 503 from then on, while the listener still accepts. */
    private volatile boolean draining;

    private ProxyServer(GatewayConfig config, NanoClock clock, String version) throws InterruptedException {
        ServerSettings settings = config.server();
        OpenRelayCheck.forListen(settings.host()).check(config);
        this.transport = Transport.best();
        int threads = settings.ioThreads() > 0 ? settings.ioThreads() : Runtime.getRuntime().availableProcessors();
        this.group = transport.newGroup(threads, "claude-lb-io");
        this.connector = new BackendConnector(transport, WATER_MARK);
        connector.prepareTls(config.upstreams());
        this.pools = new BackendPools(connector, clock);
        ExchangeObservers observers = new ExchangeObservers();
        ExchangeServices services = new ExchangeServices(pools, clock, System::currentTimeMillis, observers);
        this.gateway = new Gateway(config, clock, System::currentTimeMillis, services);
        observers.add(new AccessLog(() -> gateway.snapshot().config().logging().accessLog()));
        this.usage = startUsage(config, gateway);
        observers.add(new UsageObserver(() -> gateway.snapshot().config().prices(), usage, gateway.admissions()));
        this.discovery = new DatabricksDiscovery(gateway.discovered(), pools, services.tokens(), group,
                CredentialThread.shared());
        discovery.apply(config);
        gateway.onReload(discovery::apply);
        // On the reloading thread (the control plane), never a loop: TLS contexts are built with the snapshot.
        gateway.onReload(next -> connector.prepareTls(next.upstreams()));
        this.probes = UpstreamProbes.over(connector, () -> gateway.snapshot().config(), gateway.balancerState(),
                clock, group.next());
        CoalescingRegistry calls = new CoalescingRegistry(config.dedup(), clock);
        Coalescing coalescing = new Coalescing(calls, services);
        observers.add(coalescing.stats());
        ActiveExchanges active = new ActiveExchanges();
        WindowedLatencies latencies = new WindowedLatencies(clock, System::currentTimeMillis);
        observers.add(latencies);
        // Only at start: a registry that appeared on reload would show counters that missed the requests before it.
        this.metrics = config.metrics().enabled() ? new GatewayMetrics(gateway, pools, coalescing.stats(),
                calls::inFlight, usage.stats(), active, clients::size, group.next()) : null;
        if (metrics != null) {
            observers.add(metrics.observer());
        }
        LocalEndpoints local = new LocalEndpoints(gateway, version, usage, coalescing.stats(), () -> draining,
                latencies, metrics);
        LocalAnswers answers = LocalAnswers.of(gateway);
        RequestGuard guard = new RequestGuard(gateway, local, answers);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(new ClientInitializer(gateway, guard, answers, clients, coalescing, active));
        try {
            this.serverChannel = b.bind(settings.host(), settings.port()).sync().channel();
            probes.start();
        } catch (Exception e) {
            if (metrics != null) {
                metrics.close();
            }
            discovery.close();
            connector.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            usage.close(Duration.ZERO);
            throw e;
        }
    }

    /**
     * Starts usage storage and waits (bounded) for the database, so budgets are restored before the first request
     * is admitted. A database that is down or slow does not stop the gateway: it serves, and the writer keeps
     * trying (restoring budgets when it gets through, before writing anything).
     */
    private static UsageStore startUsage(GatewayConfig config, Gateway gateway) throws InterruptedException {
        UsageStore store = UsageStore.start(config.storage(), gateway.wallClock(), gateway.admissions().limiter(),
                () -> gateway.snapshot().config().limits().timezone());
        if (store.enabled() && !store.awaitReady(USAGE_READY_WAIT)) {
            log.warn("usage database {} did not answer within {} s; serving anyway (records wait in the queue, "
                    + "budgets are restored once it answers)", config.storage().displayUrl(),
                    USAGE_READY_WAIT.toSeconds());
        }
        return store;
    }

    /** Binds and starts serving; returns once listening. Called from main, never on an event loop. */
    public static ProxyServer start(GatewayConfig config, NanoClock clock, String version) throws InterruptedException {
        ProxyServer server = new ProxyServer(config, clock, version);
        log.info("claude-lb {} listening on http://{} ({} transport, {} upstream(s))", version,
                server.address().getHostString() + ":" + server.port(), server.transport.name().toLowerCase(),
                config.upstreams().size());
        return server;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    public int port() {
        return address().getPort();
    }

    public Gateway gateway() {
        return gateway;
    }

    /** The Prometheus metrics, or null when {@code metrics.enabled} was false at start. */
    public GatewayMetrics metrics() {
        return metrics;
    }

    /** Usage storage: counters for /metrics ({@code usage().stats()}), reports, retention. */
    public UsageStore usage() {
        return usage;
    }

    /** Connections open now (for tests and stats). */
    public int openClientConnections() {
        return clients.size();
    }

    /**
     * Bytes written to client connections that their sockets have not taken yet, summed over all connections: the
     * memory that backpressure bounds (a slow client must not make this grow with the response). For tests and
     * stats; callable from any thread.
     */
    public long pendingClientBytes() {
        long total = 0;
        for (Channel ch : clients) {
            ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
            if (out != null) {
                total += out.totalPendingWriteBytes();
            }
        }
        return total;
    }

    /**
     * Backend connections open or connecting, over all pools. For tests and stats; asks each event loop in turn,
     * so never call it on one.
     */
    public int openBackendConnections() {
        return pools.openConnections();
    }

    /**
     * Graceful stop: stop accepting, close idle connections, let running exchanges finish within {@code grace},
     * then close everything. Blocks the calling thread (a shutdown hook or test), never an event loop.
     */
    public void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        draining = true;
        holdForReadinessProbes(gateway.snapshot().config().server().drainDelay());
        long deadline = System.nanoTime() + grace.toNanos();
        serverChannel.close().awaitUninterruptibly();
        probes.close();
        for (Channel ch : clients) {
            ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
            if (handler != null) {
                ch.eventLoop().execute(handler::drain);
            } else {
                ch.close();
            }
        }
        while (!clients.isEmpty() && System.nanoTime() < deadline) {
            clients.newCloseFuture().awaitUninterruptibly(Math.max(1, (deadline - System.nanoTime()) / 1_000_000),
                    TimeUnit.MILLISECONDS);
        }
        if (!clients.isEmpty()) {
            log.warn("shutdown grace of {} s over: cutting {} connection(s) still streaming", grace.toSeconds(),
                    clients.size());
            // Each running stream ends with an error event (a waiting request gets a 503), then its connection
            // closes behind it; whatever is still open a moment later is closed outright.
            for (Channel ch : clients) {
                ExchangeHandler handler = ch.pipeline().get(ExchangeHandler.class);
                ch.eventLoop().execute(handler != null ? handler::cutByShutdown : ch::close);
            }
            clients.newCloseFuture().awaitUninterruptibly(CUT_FLUSH_MILLIS, TimeUnit.MILLISECONDS);
            clients.close().awaitUninterruptibly();
        }
        discovery.close();
        gateway.exchangeServices().aws().close();
        if (metrics != null) {
            metrics.close();
        }
        pools.closeAll();
        connector.close();
        // The last exchanges still hand their facts from loop to loop (a coalesced call's to each follower's loop,
        // a follower's detach back to the call's). Every loop first runs what it was given so far, then stays
        // open while such hand-offs keep coming: a loop gone first refuses them, and a follower cut by the
        // shutdown would never tell its observers (no access line, no usage record).
        runQueuedLoopTasks();
        group.shutdownGracefully(HAND_OFF_QUIET_MILLIS, 2_000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
        // Every exchange has ended and told its observers: what is queued now is everything to write.
        usage.close(USAGE_FLUSH_GRACE);
        gateway.controlPlane().close();
        log.info("claude-lb stopped");
    }

    /** Waits, at most {@link #CUT_FLUSH_MILLIS}, until each event loop has run every task queued on it so far. */
    private void runQueuedLoopTasks() {
        List<Future<?>> turns = new ArrayList<>();
        for (EventExecutor loop : group) {
            turns.add(loop.submit(() -> { }));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CUT_FLUSH_MILLIS);
        for (Future<?> turn : turns) {
            turn.awaitUninterruptibly(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
    }

    /**
     * {@code server.drain_delay}: keeps accepting (and answering) while {@code /readyz} fails, so load balancers see
     * the 503 and stop routing here before connections are refused. A plain wait on the stopping thread (a shutdown
     * hook or test), never an event loop; interrupted, it stops waiting and the shutdown goes on.
     */
    private static void holdForReadinessProbes(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        log.info("draining: /readyz answers 503 for {} ms before the listener closes", delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(gateway.snapshot().config().server().shutdownGrace());
    }
}
