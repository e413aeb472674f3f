package io.claudelb.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared state of one {@link PacedStreamLoad} run: the request every connection sends, the time window, the
 * expected event count, the in-flight stream gauge and the per-event-loop {@link LoopStats}. Everything a
 * connection touches on its hot path is either final, atomic or owned by its own loop.
 */
final class LoadRun {
    private final String path;
    private final ByteBuf body;
    private final HttpHeaders headers;
    private final int expectedEvents;
    private final long stallNanos;
    /** Set by the main thread once every connection streams; until then connections keep streaming. */
    private volatile long windowStartNanos = Long.MAX_VALUE;
    private volatile long deadlineNanos = Long.MAX_VALUE;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peakInFlight = new AtomicInteger();
    private final CountDownLatch closed;
    private final Map<EventLoop, LoopStats> stats = new ConcurrentHashMap<>();
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private volatile boolean stopping;

    LoadRun(String path, ByteBuf body, HttpHeaders headers, int expectedEvents, long stallNanos, int connections) {
        this.path = path;
        this.body = body;
        this.headers = headers;
        this.expectedEvents = expectedEvents;
        this.stallNanos = stallNanos;
        this.closed = new CountDownLatch(connections);
    }

    /** A fresh request sharing the body's bytes; the write releases it. */
    FullHttpRequest newRequest() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
                body.retainedDuplicate(), new DefaultHttpHeaders(), new DefaultHttpHeaders());
        request.headers().set(headers);
        return request;
    }

    LoopStats stats(EventLoop loop) {
        return stats.computeIfAbsent(loop, l -> new LoopStats());
    }

    int expectedEvents() {
        return expectedEvents;
    }

    long stallNanos() {
        return stallNanos;
    }

    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Opens the measured window: streams completing in it count for the rate; none start after its end. */
    void openWindow(long startNanos, long endNanos) {
        deadlineNanos = endNanos;
        windowStartNanos = startNanos;
    }

    boolean inWindow(long now) {
        return now >= windowStartNanos && now < deadlineNanos;
    }

    void streamStarted() {
        int now = inFlight.incrementAndGet();
        peakInFlight.accumulateAndGet(now, Math::max);
    }

    void streamEnded() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peakInFlight() {
        return peakInFlight.get();
    }

    void connectionClosed() {
        closed.countDown();
    }

    CountDownLatch closedLatch() {
        return closed;
    }

    /** Every open connection, so the end of the run can close the ones still streaming. */
    ChannelGroup connections() {
        return connections;
    }

    /** The client is about to close the connections still streaming after the drain. */
    void stop() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }

    /** All loops' stats folded together; call only after the loops have stopped. */
    LoopStats merged() {
        LoopStats all = new LoopStats();
        List<LoopStats> each = new ArrayList<>(stats.values());
        for (LoopStats s : each) {
            all.merge(s);
        }
        return all;
    }
}
