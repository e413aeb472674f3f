package io.claudelb.server.inbound;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;

/**
 * {@code pipelining}: HTTP/1.1 pipelining keeps answers in request order. A complete request goes on to the
 * request guard only once the answer to the one before it has been written in full; requests that arrive meanwhile
 * are held here and reading pauses, so at most one read batch of them is ever held. Without this, a local answer
 * (health, 401, 404) to a later request would overtake a relayed answer still streaming for an earlier one.
 *
 * <p>The end of an answer is the write of its last content (a full response, or the {@link LastHttpContent} of a
 * streamed one); interim 1xx responses do not count. The next held request is passed on from a fresh event-loop
 * task, not from inside that write, so the exchange that wrote it has finished before the next one starts.
 * Held requests are released when the connection closes.
 */
public final class PipeliningGate extends ChannelDuplexHandler {
    private final ArrayDeque<FullHttpRequest> held = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private boolean answering;
    private boolean releaseScheduled;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!answering && held.isEmpty()) {
            answering = true;
            ctx.fireChannelRead(request);
            return;
        }
        held.add(request);
        ctx.channel().config().setAutoRead(false);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean ends = msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse res && res.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        ctx.write(msg, promise);
        if (ends && answering) {
            answering = false;
            if (!held.isEmpty() && !releaseScheduled) {
                releaseScheduled = true;
                ctx.executor().execute(this::releaseNext);
            }
        }
    }

    private void releaseNext() {
        releaseScheduled = false;
        if (answering || !ctx.channel().isActive()) {
            return;
        }
        FullHttpRequest next = held.poll();
        if (next == null) {
            return;
        }
        answering = true;
        if (held.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelRead(next);
    }

    /** Requests waiting for an earlier answer (for tests). */
    int heldRequests() {
        return held.size();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseHeld();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseHeld();
    }

    private void releaseHeld() {
        FullHttpRequest request;
        while ((request = held.poll()) != null) {
            request.release();
        }
    }
}
