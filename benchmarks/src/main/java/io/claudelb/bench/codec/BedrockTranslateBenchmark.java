package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.AnthropicStream;
import io.claudelb.bench.fixtures.ClaudeCodeRequest;
import io.claudelb.codec.cloud.BedrockFrames;
import io.claudelb.codec.cloud.BedrockStreamTranslator;
import io.claudelb.codec.cloud.CloudRequestBody;
import io.claudelb.codec.json.InvalidRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The Bedrock translation on a {@code bedrock} route (issue 15):
 * <ul>
 *   <li>{@code stream}: the standard 56-event stream as Bedrock frames it (each event base64 in a {@code chunk}
 *       event-stream frame, ~11 KB), fed as read-sized slices of {@code chunkBytes} into a fresh
 *       {@link BedrockStreamTranslator}, as an attempt does; output buffers released as written.</li>
 *   <li>{@code request}: the 50 KB Claude Code request as Bedrock's body ({@link CloudRequestBody#bedrock}).</li>
 * </ul>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BedrockTranslateBenchmark extends CodecBenchmark {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final List<String> BETAS = List.of("claude-code-20250219", "interleaved-thinking-2025-05-14");

    @Param({"64", "1024", "16384"})
    public int chunkBytes;

    private ByteBuf stream;
    private ByteBuf request;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] s = frames(AnthropicStream.standard());
        stream = Unpooled.directBuffer(s.length).writeBytes(s);
        byte[] r = ClaudeCodeRequest.build(50 * 1024, true);
        request = Unpooled.directBuffer(r.length).writeBytes(r);
    }

    /** The events of an SSE stream (its {@code data:} lines), each as one Bedrock chunk frame. */
    static byte[] frames(byte[] sse) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : new String(sse, StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ")) {
                out.writeBytes(BedrockFrames.chunk(line.substring(6).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out.toByteArray();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream.release();
        request.release();
    }

    @Benchmark
    public int stream() {
        BedrockStreamTranslator translator = new BedrockStreamTranslator(ALLOC);
        return translate(stream, chunkBytes, translator::onChunk, translator::onEnd);
    }

    @Benchmark
    public int request() throws InvalidRequestException {
        ByteBuf out = CloudRequestBody.bedrock(ALLOC, request.duplicate(), BETAS);
        try {
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
