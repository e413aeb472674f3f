package io.claudelb.server.cli;

import io.claudelb.core.config.GatewayConfig;

/** Small edits of a loaded config that command-line flags make. */
final class Configs {
    private Configs() {
    }

    static GatewayConfig withListen(GatewayConfig c, String host, int port) {
        return c.withServer(c.server().withListen(host, port));
    }
}
