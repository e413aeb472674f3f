package io.claudelb.server.backend;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code receiver}: the last handler of every backend pipeline, for the connection's whole life. While a user of the
 * connection (an exchange's attempt, a token call) is attached, it hands that user everything the connection reads
 * and how it ends. While the connection sits in its pool nobody is attached, and any data or error means the
 * connection is unusable (the upstream sent something unasked, or failed): what arrived is released and the channel
 * closed; the pool forgets closed channels.
 *
 * <p>Attaching is a field write: no pipeline change per request. {@link BackendPool#release} detaches.
 */
public final class BackendReceiver extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(BackendReceiver.class);

    /** What the attached user of a backend connection hears from it. Called on the connection's event loop. */
    public interface Listener {
        /** One decoded response object; the listener owns it. */
        void onRead(Object msg);

        /** The end of a read batch. */
        void onReadComplete();

        /** The connection failed ({@code cause}) or closed ({@code cause} null); may be told twice, once each. */
        void onClosed(Throwable cause);
    }

    private Listener listener;

    /** The receiver of a backend channel built by {@link BackendConnector}. */
    public static BackendReceiver of(Channel ch) {
        return ch.pipeline().get(BackendReceiver.class);
    }

    /** From now on {@code listener} hears this connection, until it goes back to its pool. */
    public void attach(Listener listener) {
        this.listener = listener;
    }

    void detach() {
        listener = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Listener l = listener;
        if (l != null) {
            l.onRead(msg);
            return;
        }
        ReferenceCountUtil.release(msg);
        log.debug("unexpected data on an idle backend connection {}, closing", ctx.channel());
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.onReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Listener l = listener;
        if (l != null) {
            l.onClosed(null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Listener l = listener;
        if (l != null) {
            l.onClosed(cause);
        } else {
            log.debug("error on an idle backend connection {}: {}", ctx.channel(), cause.toString());
        }
        ctx.close();
    }
}
