package io.claudelb.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Test buffers in every layout the codecs meet: each kind puts the same bytes behind a different memory path. */
public final class TestBuffers {
    private TestBuffers() {
    }

    /** Buffer layouts: array-backed with and without offsets, direct, and composite of tiny components. */
    public enum Kind {
        /** Pooled heap, readerIndex 0. */
        HEAP,
        /** A heap slice with a non-zero arrayOffset and readerIndex, garbage bytes on both sides. */
        HEAP_OFFSET,
        /** Pooled direct with a non-zero readerIndex: parsed through an InputStream. */
        DIRECT,
        /** Composite of 1..7-byte components, the shape an aggregator hands over. */
        COMPOSITE
    }

    /** A buffer of {@code kind} whose readable bytes are exactly {@code bytes}; the caller releases it. */
    public static ByteBuf of(Kind kind, byte[] bytes) {
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        switch (kind) {
            case HEAP -> {
                return alloc.heapBuffer(bytes.length).writeBytes(bytes);
            }
            case HEAP_OFFSET -> {
                byte[] padded = new byte[bytes.length + 12];
                Arrays.fill(padded, (byte) '}');
                System.arraycopy(bytes, 0, padded, 7, bytes.length);
                ByteBuf slice = Unpooled.wrappedBuffer(padded).slice(3, bytes.length + 8);
                return slice.setIndex(4, 4 + bytes.length);
            }
            case DIRECT -> {
                ByteBuf direct = alloc.directBuffer(bytes.length + 5).writeBytes("{{{{{".getBytes(
                        StandardCharsets.US_ASCII)).writeBytes(bytes);
                return direct.readerIndex(5);
            }
            case COMPOSITE -> {
                CompositeByteBuf composite = alloc.compositeHeapBuffer(Integer.MAX_VALUE);
                int i = 0;
                int step = 1;
                while (i < bytes.length) {
                    int n = Math.min(step, bytes.length - i);
                    composite.addComponent(true, alloc.heapBuffer(n).writeBytes(bytes, i, n));
                    i += n;
                    step = step % 7 + 1;
                }
                return composite;
            }
            default -> throw new IllegalArgumentException(kind.name());
        }
    }

    public static ByteBuf of(Kind kind, String text) {
        return of(kind, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The readable bytes, without moving the index. */
    public static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    public static String text(ByteBuf buf) {
        return new String(bytes(buf), StandardCharsets.UTF_8);
    }

    /** A classpath resource next to {@code owner}, as bytes. */
    public static byte[] resource(Class<?> owner, String name) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
