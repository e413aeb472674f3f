package io.claudelb.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;

/**
 * One keep-alive client connection of {@link PacedStreamLoad}: sends a streaming request, times the response's
 * first byte, each SSE event (an event ends at a blank line) and the gaps between events, checks the event count
 * when the response ends, and sends the next request on the same connection until the run's deadline. Every stream
 * counts for lost events and stalls; gaps are sampled while the hold window is open, first-byte and stream times
 * only from streams started inside it. Lives on one
 * event loop and writes only that loop's {@link LoopStats}.
 */
final class StreamConnection extends ChannelInboundHandlerAdapter {
    private final LoadRun run;
    private LoopStats stats;
    private final EventCounter counter = new EventCounter();

    private boolean streaming;
    private boolean failedStatus;
    private boolean firstByteSeen;
    /** Whether this stream started inside the hold window: only those feed the first-byte and stream times. */
    private boolean measured;
    private long sentAt;
    private long lastEventAt;
    private int eventsThisStream;

    StreamConnection(LoadRun run) {
        this.run = run;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats = run.stats(ctx.channel().eventLoop());
        send(ctx);
        ctx.fireChannelActive();
    }

    private void send(ChannelHandlerContext ctx) {
        streaming = true;
        failedStatus = false;
        firstByteSeen = false;
        eventsThisStream = 0;
        counter.reset();
        run.streamStarted();
        sentAt = System.nanoTime();
        measured = run.inWindow(sentAt);
        ctx.writeAndFlush(run.newRequest(), ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpResponse response && response.status().code() != 200) {
                failedStatus = true;
                stats.statusErrors++;
            }
            if (msg instanceof HttpContent content) {
                onBytes(content.content());
                if (msg instanceof LastHttpContent) {
                    finishStream(ctx);
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onBytes(ByteBuf bytes) {
        if (!bytes.isReadable() || !streaming) {
            return;
        }
        long now = System.nanoTime();
        if (!firstByteSeen) {
            firstByteSeen = true;
            if (measured) {
                stats.firstByteMicros.add((now - sentAt) / 1000);
            }
        }
        counter.events = 0;
        bytes.forEachByte(counter);
        for (int i = 0; i < counter.events; i++) {
            if (eventsThisStream > 0) {
                long gap = now - lastEventAt;
                if (run.inWindow(now)) {
                    stats.gapMicros.add(gap / 1000);
                }
                if (gap > run.stallNanos()) {
                    stats.stalls++;
                }
            }
            eventsThisStream++;
            lastEventAt = now;
            // The second event (content_block_start) is the first one a failover peek lets through.
            if (eventsThisStream == 2 && measured) {
                stats.firstContentEventMicros.add((now - sentAt) / 1000);
            }
        }
        stats.events += counter.events;
    }

    private void finishStream(ChannelHandlerContext ctx) {
        if (!streaming) {
            return;
        }
        streaming = false;
        run.streamEnded();
        long now = System.nanoTime();
        if (!failedStatus) {
            stats.streamsCompleted++;
            if (run.inWindow(now)) {
                stats.streamsInWindow++;
            }
            if (measured) {
                stats.streamMillis.add((now - sentAt) / 1_000_000);
            }
            int expected = run.expectedEvents();
            if (eventsThisStream < expected) {
                stats.lostEvents += expected - eventsThisStream;
            } else if (eventsThisStream > expected) {
                stats.extraEvents += eventsThisStream - expected;
            }
        }
        if (now < run.deadlineNanos() && !failedStatus) {
            send(ctx);
        } else {
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (streaming) {
                // Counted here, not again as a stream closed mid-way.
                streaming = false;
                run.streamEnded();
                stats.timeouts++;
                stats.lostEvents += Math.max(0, run.expectedEvents() - eventsThisStream);
            }
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (streaming) {
            streaming = false;
            run.streamEnded();
            if (run.stopping()) {
                stats.cutAtEnd++;
            } else {
                stats.closedMidStream++;
                stats.lostEvents += Math.max(0, run.expectedEvents() - eventsThisStream);
            }
        }
        run.connectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or protocol error: counted by channelInactive as a stream closed mid-way.
        ctx.close();
    }

    /** Counts blank-line event terminators ("\n\n"), carrying the last byte across chunks. */
    private static final class EventCounter implements ByteProcessor {
        int events;
        private boolean lastWasLf;

        void reset() {
            events = 0;
            lastWasLf = false;
        }

        @Override
        public boolean process(byte value) {
            if (value == '\n') {
                if (lastWasLf) {
                    events++;
                    lastWasLf = false;
                } else {
                    lastWasLf = true;
                }
            } else if (value != '\r') {
                lastWasLf = false;
            }
            return true;
        }
    }
}
