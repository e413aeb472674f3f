package io.claudelb.server.gateway;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.LoggingSettings;
import io.claudelb.core.config.ServerSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings a reload cannot apply to a running gateway, and which of them a new config changes. Everything else
 * is read from the current snapshot per connection, request or task and takes effect with the reload (the limits
 * and timeouts of client connections included: new connections at once, open ones from their next request).
 * <ul>
 *   <li>{@code server.listen} (host and port) and {@code server.io_threads}: the socket is bound and the event loops
 *       made once;</li>
 *   <li>{@code storage}: the usage database is opened, migrated and its writer started once;</li>
 *   <li>{@code logging} except {@code access_log}: the appenders are built before anything logs;</li>
 *   <li>{@code metrics.enabled} from false to true: a registry made later would show counters that missed
 *       everything before it (true to false applies: the endpoint turns off).</li>
 * </ul>
 */
public final class RestartOnlySettings {
    private RestartOnlySettings() {
    }

    /** The restart-only settings {@code next} sets differently from {@code running}, by config name. */
    public static List<String> changed(GatewayConfig running, GatewayConfig next) {
        List<String> changed = new ArrayList<>();
        ServerSettings was = running.server();
        ServerSettings is = next.server();
        if (!was.host().equals(is.host()) || was.port() != is.port()) {
            changed.add("server.listen");
        }
        if (was.ioThreads() != is.ioThreads()) {
            changed.add("server.io_threads");
        }
        if (!Objects.equals(running.storage(), next.storage())) {
            changed.add("storage");
        }
        if (!withoutAccessLog(running.logging()).equals(withoutAccessLog(next.logging()))) {
            changed.add("logging");
        }
        if (!running.metrics().enabled() && next.metrics().enabled()) {
            changed.add("metrics.enabled");
        }
        return List.copyOf(changed);
    }

    private static LoggingSettings withoutAccessLog(LoggingSettings s) {
        return new LoggingSettings(s.level(), s.format(), s.file(), true, s.maxFileBytes(), s.maxHistory(),
                s.totalCap());
    }
}
