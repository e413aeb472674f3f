package io.claudelb.server.inbound;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tail}: the last inbound handler. Releases anything that reached it unhandled, logs errors once with the
 * channel, and closes the connection. Connection resets by clients are routine and logged at debug.
 */
@Sharable
public final class TailHandler extends ChannelInboundHandlerAdapter {
    public static final TailHandler INSTANCE = new TailHandler();
    private static final Logger log = LoggerFactory.getLogger(TailHandler.class);

    private TailHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        log.debug("tail: releasing unhandled {} on {}", msg.getClass().getSimpleName(), ctx.channel());
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("tail: {} on {}", cause.toString(), ctx.channel());
        } else {
            log.warn("tail: unexpected error on {}: {}", ctx.channel(), cause.toString(), cause);
        }
        if (ctx.channel().isOpen()) {
            ctx.close();
        }
    }
}
