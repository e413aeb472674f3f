package io.claudelb.server.backend;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every backend pipeline. While a relay is installed in front of it, nothing reaches it; when the
 * connection sits in the pool, any data or error means the connection is unusable (the upstream sent something
 * unasked, or failed), so it releases what arrived and closes the channel; the pool forgets closed channels.
 */
@Sharable
final class PoolGuard extends ChannelInboundHandlerAdapter {
    static final PoolGuard INSTANCE = new PoolGuard();
    private static final Logger log = LoggerFactory.getLogger(PoolGuard.class);

    private PoolGuard() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
        log.debug("pool-guard: unexpected data on an idle backend connection {}, closing", ctx.channel());
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("pool-guard: error on an idle backend connection {}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
