package io.claudelb.server.inbound;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * {@code pipelining}: HTTP/1.1 pipelining keeps answers in request order. It sits between the codec and the body
 * aggregator and lets a request's head (and the body parts after it) go on only once the answer to the request
 * before it has been written in full; what arrives meanwhile is held here in arrival order and reading pauses, so
 * at most one read batch is ever held. Without this, an answer to a later request would overtake an answer still
 * streaming for an earlier one: a local answer (health, 401, 404), and the aggregator's own (its {@code 100
 * Continue}, 413 and 417), which it writes as soon as it reads a head.
 *
 * <p>Why the gate holds what is read rather than what is written: every handler after it sees a request only when
 * that request's turn has come, so no answer, whoever writes it, can come out of order, and nothing needs to tell
 * which request a write belongs to. Holding writes instead would mean telling the aggregator's {@code 100 Continue}
 * and 413 apart from the running answer's chunks, and holding the close that follows a 413 with its write.
 *
 * <p>The end of an answer is the write of its last content (a full response, or the {@link LastHttpContent} of a
 * streamed one); interim 1xx responses do not count. The next held request is passed on from a fresh event-loop
 * task, not from inside that write, so the exchange that wrote it has finished before the next one starts: its head
 * and every body part read with it, up to the next held head. Held messages are released when the connection
 * closes.
 */
public final class PipeliningGate extends ChannelDuplexHandler {
    /** Heads and body parts of requests waiting for an earlier answer, in the order they were read. */
    private final ArrayDeque<Object> held = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    /** A request has gone on and its answer is not yet written in full. */
    private boolean answering;
    private boolean releaseScheduled;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!held.isEmpty()) {
            // Behind a held request: a body part of it, or a later request.
            held.add(msg);
            return;
        }
        if (msg instanceof HttpRequest) {
            if (answering) {
                held.add(msg);
                ctx.channel().config().setAutoRead(false);
                return;
            }
            answering = true;
        }
        // A request whose turn it is, or a body part of it.
        ctx.fireChannelRead(msg);
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

    /** Passes on the next held request: its head and the body parts held behind it, up to the next head. */
    private void releaseNext() {
        releaseScheduled = false;
        if (answering || !ctx.channel().isActive() || held.isEmpty()) {
            return;
        }
        answering = true;
        ctx.fireChannelRead(held.poll());
        while (!held.isEmpty() && !(held.peek() instanceof HttpRequest) && ctx.channel().isActive()) {
            ctx.fireChannelRead(held.poll());
        }
        if (held.isEmpty()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Requests waiting for an earlier answer (for tests). */
    int heldRequests() {
        return (int) held.stream().filter(HttpRequest.class::isInstance).count();
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
        Object msg;
        while ((msg = held.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
    }
}
