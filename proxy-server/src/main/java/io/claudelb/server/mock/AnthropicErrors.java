package io.claudelb.server.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Anthropic-shaped error bodies, {@code {"type":"error","error":{"type":...,"message":...}}}, with the error type
 * the real API uses for each status (architecture.md principle 5; protocol.md section 5). Used for injected errors,
 * for {@code event: error} in a stream, and for the mock's own 400/404 answers.
 */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    /** The Anthropic error type for an HTTP status: the proxy's own table, so mock and proxy agree. */
    static String type(int status) {
        return io.claudelb.codec.error.AnthropicErrors.typeForStatus(status);
    }

    /** The default message the mock uses for a status. */
    static String message(int status) {
        return switch (status) {
            case 401 -> "mock: invalid x-api-key";
            case 404 -> "mock: not found";
            case 413 -> "mock: request exceeds the maximum size";
            case 429 -> "mock: rate limited";
            case 503, 529 -> "Overloaded";
            default -> "mock: injected error " + status;
        };
    }

    /** The JSON error body for a status with the mock's default message. */
    static byte[] body(int status) {
        return body(type(status), message(status));
    }

    static byte[] body(String type, String message) {
        ByteBuf body = io.claudelb.codec.error.AnthropicErrors.jsonBody(UnpooledByteBufAllocator.DEFAULT, type, message);
        try {
            return ByteBufUtil.getBytes(body);
        } finally {
            body.release();
        }
    }
}
