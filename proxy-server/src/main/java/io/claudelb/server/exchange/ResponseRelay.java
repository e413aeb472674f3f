package io.claudelb.server.exchange;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * The backend-side handler of one attempt, inserted before {@code pool-guard} while the exchange uses the
 * connection and removed before the connection goes back to the pool. It hands every response object to its
 * {@link Exchange}, which owns them from then on.
 */
final class ResponseRelay extends ChannelInboundHandlerAdapter {
    private final Exchange exchange;
    private final int attempt;

    ResponseRelay(Exchange exchange, int attempt) {
        this.exchange = exchange;
        this.attempt = attempt;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject object) {
            exchange.onBackendRead(attempt, object);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        exchange.onBackendReadComplete(attempt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        exchange.onBackendClosed(attempt, null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        exchange.onBackendClosed(attempt, cause);
        ctx.close();
    }
}
