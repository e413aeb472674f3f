package io.claudelb.server.mock;

/**
 * OpenAI-shaped error bodies for the mock's Chat Completions mode,
 * {@code {"error":{"message":...,"type":...,"param":null,"code":...}}}, with the type and code OpenAI uses for each
 * status (429 {@code requests}/{@code rate_limit_exceeded}, 401 {@code invalid_api_key}, 5xx {@code server_error}).
 * The message is the one the Anthropic mode uses for the status, so tests can check it survives translation.
 */
final class OpenAiErrors {

    private OpenAiErrors() {
    }

    static String type(int status) {
        return switch (status) {
            case 429 -> "requests";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    /** OpenAI's machine-readable code for a status, or null. */
    static String code(int status) {
        return switch (status) {
            case 401 -> "invalid_api_key";
            case 404 -> "model_not_found";
            case 429 -> "rate_limit_exceeded";
            default -> null;
        };
    }

    /** The JSON error body for a status with the mock's default message for it. */
    static byte[] body(int status) {
        return body(status, AnthropicErrors.message(status));
    }

    static byte[] body(int status, String message) {
        String code = code(status);
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", message);
            g.writeStringField("type", type(status));
            g.writeNullField("param");
            if (code == null) {
                g.writeNullField("code");
            } else {
                g.writeStringField("code", code);
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }
}
