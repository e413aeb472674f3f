package io.claudelb.server.coalesce;

import io.claudelb.bench.codec.CodecBenchmark;
import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.core.config.DedupSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.exchange.ResponseSink;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The coalescing fan-out of one 56-event stream (7.5 KB, {@link AnthropicStream#standard()}) from its upstream
 * call to the leader and {@code followers} identical callers: the call's bookkeeping, a retained duplicate per
 * caller per piece, the replay buffer, and each caller's head copy and writes (into a sink that frees what it is
 * given, as a socket write would). All callers share the call's event loop, so this is the fan-out's own cost
 * without the hand-off between loops (one task per piece per caller on another loop). followers = 0 is what
 * coalescing adds to a request that nobody duplicates. In package {@code coalesce} for its package-private types.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FanOutBenchmark extends CodecBenchmark {
    @Param({"0", "1", "10", "50"})
    public int followers;

    private final EmbeddedChannel loopChannel = new EmbeddedChannel();
    private final EventLoop loop = loopChannel.eventLoop();
    private final CoalescingRegistry registry = new CoalescingRegistry(DedupSettings.DEFAULTS, NanoClock.SYSTEM);
    private final CoalescingKey key = new CoalescingKey("alice|", "/v1/messages", "m", "", "", "", 1, 2);
    private final List<ByteBuf> events = new ArrayList<>();
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private long written;

    /** What a client connection does with a write, minus the socket: the bytes are counted and freed. */
    private final class DrainingSink implements ResponseSink {
        @Override
        public void head(HttpResponse head) {
        }

        @Override
        public void content(HttpContent content) {
            written += content.content().readableBytes();
            content.release();
        }

        @Override
        public void end(LastHttpContent last) {
            content(last);
        }

        @Override
        public void fail(LastHttpContent errorTail) {
            content(errorTail);
        }

        @Override
        public void abort() {
        }

        @Override
        public void whole(FullHttpResponse response) {
            ReferenceCountUtil.release(response);
        }

        @Override
        public void flush() {
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public void onWritable(Runnable resume) {
        }

        @Override
        public long pendingBytes() {
            return 0;
        }

        @Override
        public ByteBufAllocator alloc() {
            return alloc;
        }
    }

    @Setup(Level.Trial)
    public void splitTheStreamIntoEvents() {
        String stream = new String(AnthropicStream.standard(), StandardCharsets.UTF_8);
        for (String event : stream.split("(?<=\n\n)")) {
            byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
            events.add(alloc.directBuffer(bytes.length).writeBytes(bytes));
        }
    }

    @TearDown(Level.Trial)
    public void release() {
        events.forEach(ByteBuf::release);
        loopChannel.finishAndReleaseAll();
    }

    private Subscriber subscriber(CoalescingRole role) {
        ExchangeRecord record = new ExchangeRecord("lbreq_bench", 0, 0, "POST", "/v1/messages", "alice");
        return new Subscriber(new DrainingSink(), loop, record, e -> { }, NanoClock.SYSTEM, role, true,
                8L * 1024 * 1024, registry.stats(), null);
    }

    @Benchmark
    public long fanOutOneStream() {
        CoalescedCall call = new CoalescedCall(key, true, loop, alloc, DedupSettings.DEFAULTS, registry);
        call.tryJoin(subscriber(CoalescingRole.LEADER));
        for (int i = 0; i < followers; i++) {
            call.tryJoin(subscriber(CoalescingRole.FOLLOWER));
        }
        loopChannel.runPendingTasks();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream");
        call.head(head);
        int last = events.size() - 1;
        for (int i = 0; i < last; i++) {
            call.content(new DefaultHttpContent(events.get(i).retainedDuplicate()));
        }
        call.end(new DefaultLastHttpContent(events.get(last).retainedDuplicate()));
        call.exchangeEnded(new ExchangeRecord("lbreq_bench", 0, 0, "POST", "/v1/messages", "alice").toEvent(0));
        return written;
    }
}
