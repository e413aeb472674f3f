package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.ClaudeCodeRequest;
import io.claudelb.codec.json.BodyRewriter;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.codec.json.RequestInspector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the exchange does to every request body before it goes upstream: {@link RequestInspector#inspect} (one
 * streaming pass for model, stream, metadata.user_id and the byte ranges) and {@link BodyRewriter#rewrite} of the
 * model to a Databricks-style name (a composite of retained slices, released at once as the write would). Bodies
 * are {@link ClaudeCodeRequest}s of 10 KB, 50 KB (the realistic Claude Code turn: billing-header and cached system
 * blocks, 12 tool schemas, thinking with signatures, tool_use/tool_result history) and 1 MB, in the buffer kinds of
 * {@link Bodies}.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ModelRewriteBenchmark extends CodecBenchmark {
    @Param({"10KB", "50KB", "1MB"})
    public String size;

    @Param({"composite", "heap"})
    public String buffer;

    private ByteBuf body;
    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;

    @Setup(Level.Trial)
    public void setUp() {
        body = Bodies.of(buffer, ClaudeCodeRequest.build(Bodies.size(size), true));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        body.release();
    }

    @Benchmark
    public int inspectAndRewrite() throws InvalidRequestException {
        RequestInfo info = RequestInspector.inspect(body);
        ByteBuf upstream = BodyRewriter.rewrite(alloc, body, info, ClaudeCodeRequest.UPSTREAM_MODEL, true);
        try {
            return upstream.readableBytes();
        } finally {
            upstream.release();
        }
    }
}
