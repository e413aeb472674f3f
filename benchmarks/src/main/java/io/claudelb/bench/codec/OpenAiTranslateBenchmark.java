package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.ClaudeCodeRequest;
import io.claudelb.bench.fixtures.OpenAiStream;
import io.claudelb.codec.openai.OpenAiRequestTranslator;
import io.claudelb.codec.openai.OpenAiStreamTranslator;
import io.claudelb.codec.openai.OpenAiTarget;
import io.claudelb.codec.openai.TranslationException;
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
 * The OpenAI translation on an {@code openai} route (issue 5), the one place claude-lb re-encodes bytes:
 * <ul>
 *   <li>{@code stream}: one whole Chat Completions stream (~7 KB: reasoning, 40 text deltas, a tool call in 12
 *       argument fragments, usage, [DONE]) fed as read-sized slices of {@code chunkBytes} into a fresh
 *       {@link OpenAiStreamTranslator}, as the exchange does per attempt; output buffers released as written.</li>
 *   <li>{@code request}: the realistic 50 KB Claude Code request translated to Chat Completions.</li>
 * </ul>
 */
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OpenAiTranslateBenchmark extends CodecBenchmark {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Param({"64", "1024", "16384"})
    public int chunkBytes;

    private ByteBuf stream;
    private ByteBuf request;
    private final OpenAiTarget target = new OpenAiTarget("openai/gpt-5", false, "reasoning_effort",
            OpenAiTarget.DEFAULT_USER_MAX_LENGTH);

    @Setup(Level.Trial)
    public void setUp() {
        byte[] s = OpenAiStream.build(40);
        stream = Unpooled.directBuffer(s.length).writeBytes(s);
        byte[] r = ClaudeCodeRequest.build(50 * 1024, true);
        request = Unpooled.directBuffer(r.length).writeBytes(r);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        stream.release();
        request.release();
    }

    @Benchmark
    public int stream() {
        OpenAiStreamTranslator translator = new OpenAiStreamTranslator(ALLOC, ClaudeCodeRequest.CLIENT_MODEL,
                "msg_bench", 12_000);
        return translate(stream, chunkBytes, translator::onChunk, translator::onEnd);
    }

    @Benchmark
    public int request() throws TranslationException {
        ByteBuf out = OpenAiRequestTranslator.translate(ALLOC, request.duplicate(), target);
        try {
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
