package io.claudelb.server.gateway;

import io.claudelb.core.config.GatewayConfig;
import java.util.List;

/**
 * A reload that was applied: the config now in force, and the settings it changes that only a restart applies
 * ({@link RestartOnlySettings}; empty when it applied whole). Reported in the reload's answer and its log line.
 */
public record Reloaded(GatewayConfig config, List<String> restartNeeded) {
    public Reloaded {
        restartNeeded = List.copyOf(restartNeeded);
    }

    /** {@code "; restart needed for: server.listen, logging"}, or empty when nothing needs one. */
    public String restartNote() {
        return restartNeeded.isEmpty() ? "" : "; restart needed for: " + String.join(", ", restartNeeded);
    }
}
