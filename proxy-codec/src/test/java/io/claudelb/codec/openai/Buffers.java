package io.claudelb.codec.openai;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Test helpers: UTF-8 buffers in and out, and JSON compaction for golden comparisons. */
final class Buffers {
    static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private Buffers() {
    }

    /** A new direct buffer holding {@code text} (direct, so the parser's non-array path is exercised too). */
    static ByteBuf utf8(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = ALLOC.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }

    /** The readable bytes as UTF-8, then releases {@code buf}. */
    static String take(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    /** {@code json} re-serialised without whitespace (field order kept), so golden texts can be indented. */
    static String compact(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            return JsonTree.toJson(JsonTree.parse(bytes, 0, bytes.length));
        } catch (IOException e) {
            throw new UncheckedIOException("bad golden JSON: " + json, e);
        }
    }

    /** Parses {@code json} into a tree. */
    static JsonValue tree(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        try {
            return JsonTree.parse(bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new UncheckedIOException("bad JSON: " + json, e);
        }
    }
}
