package io.claudelb.server.inbound;

import io.claudelb.server.local.LocalResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code request-timeout}: sits before the HTTP codec and watches raw reads. The first byte of a request starts a
 * timer; the exchange handler stops it once the whole request (head and aggregated body) has arrived. A client that
 * trickles a request slower than {@code header_read_timeout} gets 408 and is closed, so slow-loris connections cannot
 * pin memory. Between requests (keep-alive) no timer runs; the idle handler covers that.
 */
public final class RequestTimeoutHandler extends ChannelInboundHandlerAdapter {
    private final long timeoutNanos;
    private ScheduledFuture<?> timer;
    private boolean requestComplete;

    public RequestTimeoutHandler(long timeoutNanos) {
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && !requestComplete) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request is complete: no timer until the exchange is over. */
    public void requestReceived() {
        requestComplete = true;
        cancel();
    }

    /** The exchange is over: the next byte starts the next request's timer. */
    public void readyForNext() {
        requestComplete = false;
        cancel();
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (!requestComplete && ctx.channel().isActive()) {
            ctx.channel().writeAndFlush(LocalResponses.error(ctx.alloc(), 408, "invalid_request_error",
                    "The request did not arrive completely in time.")).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }
}
