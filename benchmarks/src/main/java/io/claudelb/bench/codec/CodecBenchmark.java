package io.claudelb.bench.codec;

import io.netty.buffer.ByteBuf;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings every codec benchmark shares (JMH reads them from the superclass): average time per operation, one
 * state per thread, 3 x 1 s warm-up, 5 x 1 s measurement, two forks with a fixed 1 GiB heap and Netty's leak
 * detection off (its sampling would otherwise be measured too). Each benchmark picks its own time unit.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Xms1g", "-Xmx1g"})
public abstract class CodecBenchmark {

    /**
     * Feeds {@code stream} to a translator as read-sized slices of {@code chunkBytes}, then ends it, releasing every
     * output as it is produced (as the relay writes it); returns the bytes produced.
     */
    protected static int translate(ByteBuf stream, int chunkBytes,
                                   UnaryOperator<ByteBuf> onChunk,
                                   Supplier<ByteBuf> onEnd) {
        int produced = 0;
        int end = stream.writerIndex();
        for (int at = stream.readerIndex(); at < end; at += chunkBytes) {
            ByteBuf out = onChunk.apply(stream.slice(at, Math.min(chunkBytes, end - at)));
            produced += out.readableBytes();
            out.release();
        }
        ByteBuf tail = onEnd.get();
        produced += tail.readableBytes();
        tail.release();
        return produced;
    }
}
