package io.claudelb.server.inbound;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tail}: the last inbound handler. Releases anything that reached it unhandled, logs errors once with the
 * channel, and closes the connection. What clients do to a server every day (reset a connection, go away in the
 * middle of a request body, speak plain HTTP to TLS or fail its handshake) is one DEBUG line without a stack trace,
 * so no client can flood the log; a stack trace is written only for what would be claude-lb's own defect.
 */
@Sharable
public final class TailHandler extends ChannelInboundHandlerAdapter {
    public static final TailHandler INSTANCE = new TailHandler();
    private final Logger log;

    private TailHandler() {
        this(LoggerFactory.getLogger(TailHandler.class));
    }

    /** A tail that logs to {@code log} (tests give it their own). */
    TailHandler(Logger log) {
        this.log = log;
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
        if (isClientsDoing(cause)) {
            log.debug("tail: {} on {}", cause.toString(), ctx.channel());
        } else {
            log.warn("tail: unexpected error on {}: {}", ctx.channel(), cause.toString(), cause);
        }
        if (ctx.channel().isOpen()) {
            ctx.close();
        }
    }

    /** A network event a client causes: a reset, a request cut short, a TLS failure. */
    static boolean isClientsDoing(Throwable cause) {
        if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            return true;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
