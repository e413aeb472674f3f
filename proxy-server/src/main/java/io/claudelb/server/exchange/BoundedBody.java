package io.claudelb.server.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;

/**
 * A response body gathered in memory up to a limit, without copying (a composite of retained slices): an upstream
 * error document to judge and forward, or an OpenAI answer to translate whole. Owned by its exchange, which either
 * {@link #take()}s the bytes or {@link #release()}s them.
 *
 * <p>The composite takes any number of components: with Netty's default cap of 16 every content past the 16th
 * would consolidate (copy) everything gathered so far into one buffer again. The limit bounds the bytes, and a
 * content adds at most one component, so the components stay as many as the contents that fit.
 */
final class BoundedBody {
    private final CompositeByteBuf bytes;
    private final int limit;

    BoundedBody(ByteBufAllocator alloc, int limit) {
        this.bytes = alloc.compositeBuffer(Integer.MAX_VALUE);
        this.limit = limit;
    }

    /** Whether all of {@code content} still fits under the limit. */
    boolean fits(HttpContent content) {
        return bytes.readableBytes() + content.content().readableBytes() <= limit;
    }

    /** Keeps as much of {@code content} as fits (the rest is dropped) and releases the content. */
    void add(HttpContent content) {
        ByteBuf in = content.content();
        int keep = Math.min(limit - bytes.readableBytes(), in.readableBytes());
        if (keep > 0) {
            bytes.addComponent(true, in.retainedSlice(in.readerIndex(), keep));
        }
        content.release();
    }

    /** The first {@code max} bytes as text, for body-pattern checks. */
    String prefix(int max) {
        return bytes.toString(0, Math.min(bytes.readableBytes(), max), StandardCharsets.UTF_8);
    }

    /** How many buffers the body is made of (one per content kept: nothing was copied together). */
    int components() {
        return bytes.numComponents();
    }

    int size() {
        return bytes.readableBytes();
    }

    /** Hands the bytes over: the caller owns (and releases or writes) them; this body is spent. */
    CompositeByteBuf take() {
        return bytes;
    }

    void release() {
        bytes.release();
    }
}
