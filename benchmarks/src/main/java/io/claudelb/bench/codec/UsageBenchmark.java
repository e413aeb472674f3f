package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.codec.usage.Usage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Usage extraction ({@link Usage}) from the two payloads a stream's tap decodes, {@code message_start} (usage under
 * {@code message}) and {@code message_delta} (cumulative usage, stop reason), and from a whole non-streaming
 * Message body in a direct buffer ({@link Usage#fromMessageJson}), which skips the content array.
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UsageBenchmark extends CodecBenchmark {
    private static final byte[] MESSAGE_START = AnthropicStream.MESSAGE_START_DATA.getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE_DELTA = AnthropicStream.MESSAGE_DELTA_DATA.getBytes(StandardCharsets.UTF_8);
    private ByteBuf message;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = AnthropicStream.messageJson();
        message = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        message.release();
    }

    @Benchmark
    public Usage messageStart() {
        Usage usage = new Usage();
        usage.apply(MESSAGE_START, MESSAGE_START.length);
        return usage;
    }

    @Benchmark
    public Usage messageDelta() {
        Usage usage = new Usage();
        usage.apply(MESSAGE_DELTA, MESSAGE_DELTA.length);
        return usage;
    }

    @Benchmark
    public Usage messageJson() {
        return Usage.fromMessageJson(message);
    }
}
