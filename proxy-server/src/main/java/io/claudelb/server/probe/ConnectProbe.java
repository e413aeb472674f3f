package io.claudelb.server.probe;

import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.server.backend.BackendConnector;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * One active check of an upstream: a connection opened the way requests open theirs ({@link BackendConnector}:
 * TCP, the upstream's CONNECT proxy if it has one, the TLS handshake with host name verification for https), then
 * closed at once without sending anything. Asynchronous on the given event loop; nothing waits.
 */
final class ConnectProbe {
    private final BackendConnector connector;

    ConnectProbe(BackendConnector connector) {
        this.connector = connector;
    }

    /**
     * Starts a probe of {@code upstream} on {@code loop}. The future succeeds once the connection could carry a
     * request (it is then closed), fails with the reason it could not; cancelling it closes the connection.
     */
    Future<Void> start(UpstreamConfig upstream, EventLoop loop) {
        Promise<Void> result = loop.newPromise();
        Channel[] opened = new Channel[1];
        Future<Channel> ready = connector.open(upstream, loop, ch -> opened[0] = ch);
        ready.addListener(f -> {
            if (f.isSuccess()) {
                ((Channel) f.getNow()).close();
                result.trySuccess(null);
            } else {
                result.tryFailure(f.cause());
            }
        });
        result.addListener(f -> {
            if (f.isCancelled() && opened[0] != null) {
                opened[0].close();
            }
        });
        return result;
    }
}
