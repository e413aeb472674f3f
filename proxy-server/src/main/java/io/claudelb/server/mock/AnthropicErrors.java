package io.claudelb.server.mock;

/**
 * Anthropic-shaped error bodies, {@code {"type":"error","error":{"type":...,"message":...}}}, with the error type
 * the real API uses for each status (architecture.md principle 5; protocol.md section 5). Used for injected errors,
 * for {@code event: error} in a stream, and for the mock's own 400/404 answers.
 */
final class AnthropicErrors {

    private AnthropicErrors() {
    }

    /** The Anthropic error type for an HTTP status. */
    static String type(int status) {
        return switch (status) {
            case 400 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 402 -> "billing_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 503, 529 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "invalid_request_error";
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
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "error");
            g.writeObjectFieldStart("error");
            g.writeStringField("type", type);
            g.writeStringField("message", message);
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
