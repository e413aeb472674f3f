package io.claudelb.server.mock;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;

/**
 * Ends a connection the way a crashed or cut-off upstream does: SO_LINGER 0 makes the close send a TCP RST instead
 * of a FIN, so the peer sees "connection reset", not a clean end of stream.
 */
final class ConnectionReset {
    private ConnectionReset() {
    }

    static void reset(Channel channel) {
        if (channel.isOpen()) {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
            channel.close();
        }
    }
}
