package io.claudelb.server.mock;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Writes one SSE answer: the response head (chunked), then each event as its own HTTP chunk rendered into a pooled
 * buffer, then the terminating chunk. Runs on the channel's event loop only.
 *
 * <p>Pacing: with a pace, each event is flushed on its own and the next one is scheduled on the event loop (never
 * a sleep); without one, events are written back to back and flushed once. Backpressure: while the channel is not
 * writable nothing more is rendered; {@link #resume()} (from {@code channelWritabilityChanged}) continues. With
 * {@code resetAfterEvents} the connection is reset after that many events, or instead of the terminating chunk when
 * the stream has fewer. A framing function may turn each rendered event into other bytes (the Bedrock mock's
 * event-stream frames); it takes the rendered buffer and returns the one to write.
 */
final class SseStreamWriter {
    private final MockExchange exchange;
    private final ChannelHandlerContext ctx;
    private final HttpResponse head;
    private final List<ResponseTemplate> events;
    private final RequestFacts facts;
    private final Duration pace;
    private final int resetAfterEvents;
    private final UnaryOperator<ByteBuf> framing;
    private int next;
    private boolean waitingForWritability;

    SseStreamWriter(MockExchange exchange, HttpResponse head, List<ResponseTemplate> events, RequestFacts facts,
            MockBehaviour behaviour) {
        this(exchange, head, events, facts, behaviour, UnaryOperator.identity());
    }

    SseStreamWriter(MockExchange exchange, HttpResponse head, List<ResponseTemplate> events, RequestFacts facts,
            MockBehaviour behaviour, UnaryOperator<ByteBuf> framing) {
        this.framing = framing;
        this.exchange = exchange;
        this.ctx = exchange.ctx();
        this.head = head;
        this.events = events;
        this.facts = facts;
        this.pace = behaviour.pace();
        this.resetAfterEvents = behaviour.resetAfterEvents();
        HttpUtil.setTransferEncodingChunked(head, true);
    }

    void start() {
        if (resetAfterEvents == 0) {
            exchange.resetAfter(head);
            return;
        }
        ctx.write(head, ctx.voidPromise());
        writeMore();
    }

    /** Continues after the channel became writable again. */
    void resume() {
        if (waitingForWritability) {
            waitingForWritability = false;
            writeMore();
        }
    }

    private void writeMore() {
        while (!exchange.isDone()) {
            if (!ctx.channel().isWritable()) {
                // A flush that drains the buffer fires channelWritabilityChanged from inside flush(); the flag is
                // set only afterwards, so that event does not re-enter this loop.
                ctx.flush();
                if (!ctx.channel().isWritable()) {
                    waitingForWritability = true;
                    return;
                }
                continue;
            }
            if (next == events.size()) {
                finish();
                return;
            }
            DefaultHttpContent chunk = new DefaultHttpContent(framing.apply(events.get(next).render(ctx.alloc(),
                    facts)));
            next++;
            if (next == resetAfterEvents || resetAfterEvents != MockBehaviour.NEVER && next == events.size()) {
                exchange.resetAfter(chunk);
                return;
            }
            ctx.write(chunk, ctx.voidPromise());
            if (!pace.isZero() && next < events.size()) {
                ctx.flush();
                exchange.later(pace, this::writeMore);
                return;
            }
        }
    }

    private void finish() {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        exchange.streamDone();
    }
}
