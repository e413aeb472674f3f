package io.claudelb.server.mock;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The socket transport the mock runs on: native epoll when Netty's native library loads (Linux), NIO otherwise.
 *
 * @param name "epoll" or "nio", for the startup log
 */
record MockTransport(String name, IoHandlerFactory ioHandlerFactory, Class<? extends ServerChannel> serverChannel) {

    static MockTransport best() {
        if (Epoll.isAvailable()) {
            return new MockTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new MockTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
