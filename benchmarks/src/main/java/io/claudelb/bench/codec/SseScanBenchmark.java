package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.codec.sse.SseListener;
import io.claudelb.codec.sse.SseScanner;
import io.claudelb.codec.sse.StreamPeek;
import io.claudelb.codec.usage.UsageTap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The relay's SSE tap over one whole response: the standard 56-event, ~7.5 KB stream (the load harness's) in a
 * direct buffer, fed as read-sized slices of {@code chunkBytes} (16 B to 16 KiB; 16 KiB is the whole stream in one
 * read). One operation is one stream, scanned by a fresh scanner as the relay does per exchange; divide the stream
 * size (printed by {@code streamBytes}) by the time for bytes per second.
 *
 * <ul>
 *   <li>{@code usageTap}: what every relayed stream costs: {@link SseScanner} + {@link UsageTap}, which decodes
 *       message_start and message_delta data and parses their usage.
 *   <li>{@code eventsOnly}: the scanner alone, a listener that wants no data (the byte-search floor).
 *   <li>{@code peekUntilCommit}: the failover peek ({@link StreamPeek}) up to its verdict (content_block_start).
 * </ul>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SseScanBenchmark extends CodecBenchmark {
    /** The relay's limit on a tapped event's data. */
    private static final int MAX_TAPPED_EVENT = 64 * 1024;
    private static final SseListener NO_DATA = new SseListener() {
        @Override
        public boolean wantsData(String eventName) {
            return false;
        }

        @Override
        public void onEvent(String eventName, byte[] data, int length) {
            // counted by the scanner
        }
    };

    @Param({"16", "64", "256", "1024", "4096", "16384"})
    public int chunkBytes;

    private ByteBuf stream;
    private ByteBuf[] chunks;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = AnthropicStream.standard();
        stream = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        int count = (bytes.length + chunkBytes - 1) / chunkBytes;
        chunks = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            int at = i * chunkBytes;
            chunks[i] = stream.slice(at, Math.min(chunkBytes, bytes.length - at));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream.release();
    }

    @Benchmark
    public UsageTap usageTap() {
        UsageTap tap = new UsageTap();
        SseScanner scanner = new SseScanner(tap, MAX_TAPPED_EVENT);
        for (ByteBuf chunk : chunks) {
            scanner.scan(chunk);
        }
        return tap;
    }

    @Benchmark
    public int eventsOnly() {
        SseScanner scanner = new SseScanner(NO_DATA, MAX_TAPPED_EVENT);
        for (ByteBuf chunk : chunks) {
            scanner.scan(chunk);
        }
        return scanner.eventsSeen();
    }

    @Benchmark
    public StreamPeek.Verdict peekUntilCommit() {
        StreamPeek peek = new StreamPeek();
        for (ByteBuf chunk : chunks) {
            if (peek.feed(chunk) != StreamPeek.Verdict.UNDECIDED) {
                break;
            }
        }
        return peek.verdict();
    }
}
