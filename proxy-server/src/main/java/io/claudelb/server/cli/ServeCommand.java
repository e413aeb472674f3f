package io.claudelb.server.cli;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RoutingWarnings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.log.LogOutput;
import io.claudelb.server.log.LoggingSetup;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code claude-lb serve}: load the config, listen, and run until SIGTERM or SIGINT, then drain gracefully and exit 0
 * (what systemd counts as a clean stop). SIGHUP reloads the config file, like {@code POST /reload}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the gateway (the default command).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Override
    public Integer call() throws Exception {
        return run(options);
    }

    /** Serves the config the options name; reloads come from the same file with the same overrides. */
    static int run(ConfigOptions options) throws InterruptedException {
        GatewayConfig config = options.load();
        return run(config, server -> {
            server.gateway().reloadSource(options::load);
            ConfigReloads reloads = new ConfigReloads(server.gateway(), options.resolve());
            if (options.watch) {
                watch(new ConfigWatcher(options.resolve(), reloads));
            }
            return () -> reloads.reload("SIGHUP");
        });
    }

    private static void watch(ConfigWatcher watcher) {
        try {
            watcher.start();
        } catch (IOException e) {
            log.warn("--watch: cannot watch the config file, reload with SIGHUP or POST /reload: {}", e.toString());
        }
    }

    static int run(GatewayConfig config) throws InterruptedException {
        return run(config, server ->
                () -> log.warn("SIGHUP ignored: this gateway was not started from a config file"));
    }

    /** @param started sets up what the running server needs and returns what a SIGHUP does */
    private static int run(GatewayConfig config, Function<ProxyServer, Runnable> started)
            throws InterruptedException {
        LogOutput logs = LoggingSetup.apply(config.logging());
        // Taken over before the gateway listens: a SIGHUP sent as soon as it does (a reload right after start) waits
        // for the gateway instead of meeting the JVM's default action, which is to exit.
        CompletableFuture<Runnable> onHup = new CompletableFuture<>();
        ProcessSignals.handle("HUP", () -> onHup.thenAccept(Runnable::run));
        for (String note : config.notes()) {
            log.info("config: {}", note);
        }
        RoutingWarnings.of(config).forEach(w -> log.warn("config: {}", w));
        ProxyServer server = ProxyServer.start(config, NanoClock.SYSTEM, Version.get());
        if (logs != null && server.metrics() != null) {
            server.metrics().countDroppedLogLines(logs::droppedLines);
        }
        onHup.complete(started.apply(server));
        CountDownLatch stopAsked = new CountDownLatch(1);
        // Our own SIGTERM/SIGINT handlers: the drain runs here, on the main thread, and the process exits 0. The
        // hook covers every other way the JVM may go down (System.exit elsewhere, a signal we could not take over);
        // after a drain it finds the server stopped and returns at once.
        ProcessSignals.handle("TERM", stopAsked::countDown);
        ProcessSignals.handle("INT", stopAsked::countDown);
        AtomicBoolean drained = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            drain(server, drained);
            close(logs);
        }, "claude-lb-shutdown"));
        stopAsked.await();
        drain(server, drained);
        close(logs);
        return 0;
    }

    /** The last lines (the drain's, the final access lines) may still be queued: writes them before exit. */
    private static void close(LogOutput logs) {
        if (logs != null) {
            logs.close();
        }
    }

    /** Drains for the {@code shutdown_grace} of the config in force now (a reload may have changed it). */
    private static void drain(ProxyServer server, AtomicBoolean drained) {
        if (!drained.compareAndSet(false, true)) {
            return;
        }
        Duration grace = server.gateway().snapshot().config().server().shutdownGrace();
        log.info("shutting down: draining in-flight requests for up to {} s", grace.toSeconds());
        server.stop(grace);
    }
}
