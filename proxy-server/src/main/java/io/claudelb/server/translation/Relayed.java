package io.claudelb.server.translation;

import io.claudelb.codec.error.AnthropicErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The {@link ResponseTranslation} of an upstream that answers in Anthropic's own bytes: every body passes through
 * unchanged and without a copy, a broken stream ends with one Anthropic {@code event: error}. As it is it is
 * {@link ResponseTranslation#IDENTITY} (anthropic and databricks upstreams); a kind whose only difference is the shape
 * of its error bodies (Vertex) extends it and overrides {@link #errorBody}. Stateless.
 */
public class Relayed implements ResponseTranslation {

    /** Use {@link ResponseTranslation#IDENTITY}, or extend. */
    protected Relayed() {
    }

    @Override
    public final boolean rewritesBodies() {
        return false;
    }

    @Override
    public final void head(HttpHeaders headers) {
    }

    @Override
    public final HttpContent content(HttpContent content) {
        return content;
    }

    @Override
    public final ByteBuf body(ByteBuf collected) {
        return collected.retainedDuplicate();
    }

    /** The upstream's error body as it is; takes ownership of {@code body} and returns it. */
    @Override
    public ByteBuf errorBody(int status, ByteBuf body) {
        return body;
    }

    @Override
    public final ByteBuf failure(ByteBufAllocator alloc, String errorType, String message) {
        return AnthropicErrors.sseEvent(alloc, errorType, message);
    }
}
