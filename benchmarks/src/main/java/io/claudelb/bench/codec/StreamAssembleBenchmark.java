package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.codec.message.AssemblyResult;
import io.claudelb.codec.message.StreamAssembler;
import io.claudelb.codec.sse.SseScanner;
import io.claudelb.codec.usage.UsageTap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Coalescing's mixed modes: the non-streaming answer assembled from a stream ({@link StreamAssembler}) for a
 * follower that asked without {@code stream}. The stream ({@link AnthropicStream#ofSize}: thinking with its
 * signature, then a text block of 24-byte deltas: 366 events at 50 KB, 7,541 at 1 MB) sits in a direct
 * buffer and is fed as 8 KiB read-sized slices; one operation is one stream, a fresh assembler, its body written into
 * a pooled buffer and released.
 *
 * <ul>
 *   <li>{@code assemble}: the whole cost, feed and finish.
 *   <li>{@code usageTapOnly}: what relaying the same stream already costs (the scanner and the usage tap), for
 *       scale.
 * </ul>
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamAssembleBenchmark extends CodecBenchmark {
    /** The coalescing default cap on what a call may hold (issue 11's {@code max_replay_bytes}). */
    private static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Param({"50KB", "1MB"})
    public String size;

    private ByteBuf stream;
    private ByteBuf[] chunks;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = AnthropicStream.ofSize(Bodies.size(size));
        stream = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        int count = (bytes.length + Bodies.READ_CHUNK_BYTES - 1) / Bodies.READ_CHUNK_BYTES;
        chunks = new ByteBuf[count];
        for (int i = 0; i < count; i++) {
            int at = i * Bodies.READ_CHUNK_BYTES;
            chunks[i] = stream.slice(at, Math.min(Bodies.READ_CHUNK_BYTES, bytes.length - at));
        }
        AssemblyResult check = assembleOnce();
        if (!check.isComplete()) {
            throw new IllegalStateException("fixture does not assemble: " + check);
        }
        check.body().release();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream.release();
    }

    @Benchmark
    public int assemble() {
        AssemblyResult result = assembleOnce();
        int length = result.body().readableBytes();
        result.body().release();
        return length;
    }

    @Benchmark
    public UsageTap usageTapOnly() {
        UsageTap tap = new UsageTap();
        SseScanner scanner = new SseScanner(tap, 64 * 1024);
        for (ByteBuf chunk : chunks) {
            scanner.scan(chunk);
        }
        return tap;
    }

    private AssemblyResult assembleOnce() {
        StreamAssembler assembler = new StreamAssembler(MAX_BYTES);
        for (ByteBuf chunk : chunks) {
            assembler.feed(chunk);
        }
        return assembler.finish(ALLOC);
    }
}
