package io.claudelb.bench.codec;

import io.claudelb.bench.fixtures.ClaudeCodeRequest;
import io.claudelb.bench.fixtures.SmallRequest;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.codec.json.RequestInspector;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Request inspection alone ({@link RequestInspector#inspect}: model, stream, metadata.user_id, provider, in one
 * pass that skips everything else), on the 2 KB request of the load harness and on the Claude Code bodies of
 * {@link ModelRewriteBenchmark}; the difference between the two benchmarks is the rewrite's own cost.
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RequestInspectBenchmark extends CodecBenchmark {
    @Param({"2KB", "10KB", "50KB", "1MB"})
    public String size;

    @Param({"composite", "heap"})
    public String buffer;

    private ByteBuf body;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = "2KB".equals(size)
                ? SmallRequest.build(2 * 1024, true)
                : ClaudeCodeRequest.build(Bodies.size(size), true);
        body = Bodies.of(buffer, bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        body.release();
    }

    @Benchmark
    public RequestInfo inspect() throws InvalidRequestException {
        return RequestInspector.inspect(body);
    }
}
