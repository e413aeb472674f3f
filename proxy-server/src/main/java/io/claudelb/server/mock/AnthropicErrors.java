package io.claudelb.server.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Anthropic-shaped error bodies, {@code {"type":"error","error":{"type":...,"message":...}}}, with the error type
 * the real API uses for each status (architecture.md principle 5; protocol.md section 5). Used for injected errors,
 * for {@code event: error} in a stream, and for the mock's own 400/404 answers.
 *
 * <p>The mock keeps its own status/type table, written from Anthropic's error documentation, instead of borrowing the
 * proxy's ({@code io.claudelb.codec.error.AnthropicErrors}): the mock stands in for the real API, so a wrong row in
 * the proxy's table shows up against it (MockErrorTableTest compares the two over every row here).
 */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    /**
     * The Anthropic error type the API answers {@code status} with: the documented ones (400, 401, 402, 403, 404,
     * 413, 429, 500, 504, 529); 408 is a timeout, 422 an invalid request and 503 an overload like
     * their documented siblings, any other 4xx an invalid request, anything else {@code api_error}.
     */
    static String type(int status) {
        return switch (status) {
            case 400, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 408, 504 -> "timeout_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 400 && status < 500 ? "invalid_request_error" : "api_error";
        };
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
