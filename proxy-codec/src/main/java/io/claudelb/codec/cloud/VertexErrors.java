package io.claudelb.codec.cloud;

import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.codec.error.ErrorBodyReader;
import io.claudelb.codec.error.ErrorInfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Vertex AI's error answers in Anthropic's shape. The model's own errors are Anthropic JSON already
 * ({@code {"type":"error","error":{"type":"overloaded_error",...}}}) and pass unchanged; Google's front end answers in
 * its own shape ({@code {"error":{"code":429,"message":"...","status":"RESOURCE_EXHAUSTED"}}}, a regional quota, a
 * missing model, a refused token), which becomes an Anthropic error of the status's type with Google's message.
 */
public final class VertexErrors {
    private static final byte[] ANTHROPIC_MARK = "\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);

    private VertexErrors() {
    }

    /** Whether an error body is Anthropic's already (its {@code "type":"error"} marker near the start). */
    public static boolean isAnthropicShaped(ByteBuf body) {
        int limit = Math.min(body.readableBytes(), 256);
        outer:
        for (int i = 0; i + ANTHROPIC_MARK.length <= limit; i++) {
            for (int j = 0; j < ANTHROPIC_MARK.length; j++) {
                if (body.getByte(body.readerIndex() + i + j) != ANTHROPIC_MARK[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * The error body a client gets: {@code body} itself (retained) when Anthropic-shaped, else a new Anthropic error.
     * {@code body} is not released.
     */
    public static ByteBuf translateError(ByteBufAllocator alloc, int status, ByteBuf body) {
        if (isAnthropicShaped(body)) {
            return body.retainedDuplicate();
        }
        ErrorInfo info = ErrorBodyReader.read(body);
        String message = info == null || info.message() == null ? "" : info.message();
        return AnthropicErrors.jsonBody(alloc, AnthropicErrors.typeForStatus(status), message);
    }
}
