package io.claudelb.server.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * The response bytes one upstream read batch relays, gathered so that the client gets one chunk per batch. A stream
 * arrives as many small upstream chunks (one per SSE event, often a dozen in one read); each written on its own would
 * cost the HTTP encoder a length header, a CRLF and three outbound-buffer entries. The chunks are kept, not copied:
 * one buffer as it is, several as the components of a composite. Owned by one {@link StreamRelay}, on its event loop.
 */
final class RelayBatch {
    private final ByteBufAllocator alloc;
    private ByteBuf first;
    private CompositeByteBuf several;

    RelayBatch(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /** Takes ownership of {@code bytes}; an empty buffer is released at once. */
    void add(ByteBuf bytes) {
        if (!bytes.isReadable()) {
            bytes.release();
        } else if (first == null && several == null) {
            first = bytes;
        } else {
            if (several == null) {
                several = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
                several.addComponent(true, first);
                first = null;
            }
            several.addComponent(true, bytes);
        }
    }

    /** The gathered bytes as one chunk (ownership passes to the caller), or null when there are none. */
    HttpContent take() {
        ByteBuf bytes = takeBytes();
        return bytes == null ? null : new DefaultHttpContent(bytes);
    }

    /** The gathered bytes as the response's last chunk (possibly empty); ownership passes to the caller. */
    LastHttpContent takeAsLast() {
        ByteBuf bytes = takeBytes();
        return bytes == null ? LastHttpContent.EMPTY_LAST_CONTENT : new DefaultLastHttpContent(bytes);
    }

    /** Drops whatever was gathered (the relay ended without writing it). */
    void release() {
        ByteBuf bytes = takeBytes();
        if (bytes != null) {
            bytes.release();
        }
    }

    private ByteBuf takeBytes() {
        ByteBuf bytes = several != null ? several : first;
        several = null;
        first = null;
        return bytes;
    }
}
