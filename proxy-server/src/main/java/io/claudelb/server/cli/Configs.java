package io.claudelb.server.cli;

import io.claudelb.core.config.GatewayConfig;

/** Small edits of a loaded config that command-line flags make. */
final class Configs {
    private Configs() {
    }

    static GatewayConfig withListen(GatewayConfig c, String host, int port) {
        return new GatewayConfig(c.format(), c.server().withListen(host, port), c.admin(), c.clients(), c.upstreams(),
                c.routes(), c.balancing(), c.health(), c.retry(), c.logging(), c.databricksModels(), c.notes());
    }
}
