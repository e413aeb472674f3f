package io.claudelb.server.backend;

import io.claudelb.core.config.UpstreamConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Opens backend connections for a {@link BackendPool}: {@link BackendConnector} over sockets (TCP, CONNECT proxy,
 * TLS), or anything else that yields channels ending in a {@link BackendReceiver} (the pool's unit tests use
 * embedded channels).
 */
interface Connector {
    /**
     * A connection to {@code upstream} on {@code loop}. {@code opened} is told the channel as soon as it exists,
     * before it is ready, so the pool can count it and hear it close; the future completes when it can carry a
     * request, or fails (the connector then closes the channel).
     */
    Future<Channel> open(UpstreamConfig upstream, EventLoop loop, Consumer<Channel> opened);
}
