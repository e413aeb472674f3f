package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.VertexErrors;
import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Objects;

/**
 * How one attempt's Vertex AI answer becomes the client's (a {@link ResponseTranslation}):
 * streams and JSON answers are Anthropic's already and relayed byte for byte, zero copy, peeked and tapped as from
 * Anthropic; only an error body in Google's shape (a quota, a missing model, a refused token) is rewritten into an
 * Anthropic error with the same status. Stateless.
 */
public final class VertexTranslation implements ResponseTranslation {
    private final ByteBufAllocator alloc;

    public VertexTranslation(ByteBufAllocator alloc) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
    }

    @Override
    public boolean rewritesBodies() {
        return false;
    }

    @Override
    public void head(HttpHeaders headers) {
    }

    @Override
    public HttpContent content(HttpContent content) {
        return content;
    }

    @Override
    public ByteBuf body(ByteBuf collected) {
        return collected.retainedDuplicate();
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

    @Override
    public ByteBuf failure(ByteBufAllocator alloc, String errorType, String message) {
        return AnthropicErrors.sseEvent(alloc, errorType, message);
    }
}
