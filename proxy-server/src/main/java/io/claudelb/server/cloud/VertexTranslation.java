package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.VertexErrors;
import io.claudelb.server.translation.Relayed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Objects;

/**
 * How one attempt's Vertex AI answer becomes the client's: streams and JSON answers are Anthropic's already and
 * relayed byte for byte, zero copy, peeked and tapped as from Anthropic ({@link Relayed}); only an error body in
 * Google's shape (a quota, a missing model, a refused token) is rewritten into an Anthropic error with the same
 * status. Stateless.
 */
public final class VertexTranslation extends Relayed {
    private final ByteBufAllocator alloc;

    public VertexTranslation(ByteBufAllocator alloc) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
    }

    /** Google's error shape becomes Anthropic's; takes ownership of {@code body}. */
    @Override
    public ByteBuf errorBody(int status, ByteBuf body) {
        try {
            return VertexErrors.translateError(alloc, status, body);
        } finally {
            body.release();
        }
    }
}
