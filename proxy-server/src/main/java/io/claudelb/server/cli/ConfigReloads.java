package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RoutingWarnings;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.gateway.Reloaded;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reloads {@code serve} starts by itself, on SIGHUP ({@code systemctl reload}) or when {@code --watch} sees the
 * file change: each does what {@code POST /reload} does ({@link Gateway#reloadFromSource()}), on the gateway's
 * control plane so it queues behind any other reload and never runs on an event loop, and logs its outcome. A file
 * that does not load changes nothing and is logged as one line per error, each naming its key.
 */
final class ConfigReloads {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloads.class);

    private final Gateway gateway;
    private final Path file;

    ConfigReloads(Gateway gateway, Path file) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.file = Objects.requireNonNull(file, "file");
    }

    /**
     * Queues one reload; {@code trigger} says why in the log ({@code "SIGHUP"}).
     *
     * @return completes when the reload has been applied or refused (and logged); never exceptionally
     */
    CompletableFuture<Void> reload(String trigger) {
        return gateway.controlPlane().submit(gateway::reloadFromSource).handle((reloaded, failure) -> {
            if (failure == null) {
                applied(trigger, reloaded);
            } else {
                refused(trigger, failure instanceof CompletionException ? failure.getCause() : failure);
            }
            return null;
        });
    }

    private void applied(String trigger, Reloaded reloaded) {
        GatewayConfig config = reloaded.config();
        log.info("config reloaded from {} ({}): {} upstream(s), {} route(s){}", file, trigger,
                config.upstreams().size(), config.routes().size(), reloaded.restartNote());
        RoutingWarnings.of(config).forEach(w -> log.warn("config: {}", w));
    }

    private void refused(String trigger, Throwable failure) {
        if (failure instanceof ConfigException e) {
            for (ConfigException error : e.errors()) {
                log.error("config reload ({}) refused, keeping the running config: {}", trigger, error.getMessage());
            }
        } else if (failure instanceof IllegalStateException) {
            log.warn("config reload ({}) ignored: {}", trigger, failure.getMessage());
        } else {
            log.error("config reload ({}) failed, keeping the running config", trigger, failure);
        }
    }
}
