package io.claudelb.bench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Puts benchmark bytes into the buffer kinds the proxy meets. {@code composite} is what claude-lb's codecs really
 * see: {@code HttpObjectAggregator} collects a request body as a {@link CompositeByteBuf} of the direct buffers the
 * socket reads filled (8 KiB here); {@code heap} is the array-backed best case jackson parses without a copy.
 */
final class Bodies {
    static final int READ_CHUNK_BYTES = 8 * 1024;

    private Bodies() {
    }

    /** A new buffer holding {@code bytes}; the caller releases it. */
    static ByteBuf of(String kind, byte[] bytes) {
        return switch (kind) {
            case "heap" -> Unpooled.wrappedBuffer(bytes);
            case "direct" -> Unpooled.directBuffer(bytes.length).writeBytes(bytes);
            case "composite" -> composite(bytes);
            default -> throw new IllegalArgumentException("buffer kind: " + kind);
        };
    }

    private static ByteBuf composite(byte[] bytes) {
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        for (int at = 0; at < bytes.length; at += READ_CHUNK_BYTES) {
            int n = Math.min(READ_CHUNK_BYTES, bytes.length - at);
            out.addComponent(true, Unpooled.directBuffer(n).writeBytes(bytes, at, n));
        }
        return out;
    }

    /** Sizes of the model-rewrite and inspection benchmarks, by name. */
    static int size(String name) {
        return switch (name) {
            case "10KB" -> 10 * 1000;
            case "50KB" -> 50 * 1024;
            case "1MB" -> 1024 * 1024;
            default -> throw new IllegalArgumentException("size: " + name);
        };
    }
}
