package io.claudelb.server.gateway;

import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.GatewayConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * With no client keys the gateway is open to anyone who can reach it, and relays with the team's upstream
 * credentials: that is allowed on a loopback address only, unless {@code server.allow_unauthenticated_remote} says
 * it is meant. Checked at start and on every reload against the address the server listens on (a reload does not
 * move the listener), so removing {@code clients:} from the file of a gateway on {@code 0.0.0.0} and reloading is
 * refused like starting with it. The listen address is resolved once, when the check is made, never on reload.
 */
public final class OpenRelayCheck {
    private final String listenHost;
    private final boolean loopback;

    private OpenRelayCheck(String listenHost, boolean loopback) {
        this.listenHost = listenHost;
        this.loopback = loopback;
    }

    /**
     * Resolves {@code listenHost} (an operator's "localhost" is a name): call it at start, off the event loops.
     *
     * @throws ConfigException naming {@code server.listen} when the host does not resolve
     */
    public static OpenRelayCheck forListen(String listenHost) {
        try {
            return new OpenRelayCheck(listenHost, InetAddress.getByName(listenHost).isLoopbackAddress());
        } catch (UnknownHostException e) {
            throw new ConfigException("server.listen", "cannot resolve host '" + listenHost + "'");
        }
    }

    /** @throws ConfigException naming {@code server.listen} when {@code config} would open a relay here */
    public void check(GatewayConfig config) {
        if (loopback || config.requiresClientKey() || config.server().allowUnauthenticatedRemote()) {
            return;
        }
        throw new ConfigException("server.listen", "refusing to listen on " + listenHost
                + " with no client keys configured: add clients[] keys, or set"
                + " server.allow_unauthenticated_remote: true to run an open proxy on purpose");
    }
}
