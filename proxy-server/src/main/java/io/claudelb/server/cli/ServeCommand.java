package io.claudelb.server.cli;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.log.LoggingSetup;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code claude-lb serve}: load the config, listen, and run until SIGTERM/SIGINT, then drain gracefully. */
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
            if (options.watch) {
                new ConfigWatcher(options.resolve(), server.gateway()).start();
            }
        });
    }

    static int run(GatewayConfig config) throws InterruptedException {
        return run(config, server -> { });
    }

    private static int run(GatewayConfig config, java.util.function.Consumer<ProxyServer> started)
            throws InterruptedException {
        LoggingSetup.apply(config.logging());
        for (String note : config.notes()) {
            log.info("config: {}", note);
        }
        ProxyServer server = ProxyServer.start(config, NanoClock.SYSTEM, Version.get());
        started.accept(server);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("shutting down: draining in-flight requests for up to {} s",
                    config.server().shutdownGrace().toSeconds());
            server.stop(config.server().shutdownGrace());
            stopped.countDown();
        }, "claude-lb-shutdown"));
        stopped.await();
        return 0;
    }
}
