package io.claudelb.codec.openai;

import io.claudelb.codec.error.AnthropicErrors;
import java.util.Locale;

/**
 * Reads the error an OpenAI-compatible upstream reported (an HTTP error body or an {@code error} object inside a
 * stream chunk) and says it in Anthropic's terms: an error type and a message.
 *
 * <p>The message is the provider's own {@code error.message} (or vLLM's top-level {@code message}). OpenRouter
 * wraps the real provider's answer in {@code error.metadata}; its {@code provider_name} and {@code raw} are kept
 * in the message ({@code raw} cut at {@value #MAX_RAW_CHARS} characters) because "Provider returned error" alone
 * tells the user nothing. A context overflow ({@code context_length_exceeded}, "maximum context length") is
 * prefixed with {@value #PROMPT_TOO_LONG}, the wording Claude Code looks for before it compacts a conversation.
 */
final class UpstreamErrors {
    static final int MAX_RAW_CHARS = 2000;
    static final String PROMPT_TOO_LONG = "prompt is too long: ";

    private UpstreamErrors() {
    }

    /** The error type for an in-stream {@code error} object: from a numeric {@code code}, else {@code api_error}. */
    static String typeOf(JsonValue error) {
        if (error != null && error.get("code") instanceof JsonValue.Num code) {
            long status = code.longValue(-1);
            if (status >= 400 && status < 600) {
                return AnthropicErrors.typeForStatus((int) status);
            }
        }
        return "api_error";
    }

    /** The client-facing message for an error body (or a chunk holding {@code error}); {@code fallback} if none. */
    static String message(JsonValue body, String fallback) {
        if (body == null) {
            return fallback;
        }
        JsonValue error = body.get("error");
        if (error instanceof JsonValue.Str str && !str.value().isBlank()) {
            return str.value();
        }
        JsonValue source = error instanceof JsonValue.Obj ? error : body;
        String message = source.textOf("message");
        if (message == null || message.isBlank()) {
            message = fallback;
        }
        if (isContextOverflow(source, message)) {
            message = PROMPT_TOO_LONG + message;
        }
        return message + providerDetails(source.get("metadata"));
    }

    private static boolean isContextOverflow(JsonValue error, String message) {
        return "context_length_exceeded".equals(error.textOf("code"))
                || message.toLowerCase(Locale.ROOT).contains("maximum context length");
    }

    private static String providerDetails(JsonValue metadata) {
        if (metadata == null) {
            return "";
        }
        String provider = metadata.textOf("provider_name");
        JsonValue raw = metadata.get("raw");
        String rawText = raw == null || raw == JsonValue.Null.INSTANCE ? null
                : raw.text() != null ? raw.text() : JsonTree.toJson(raw);
        if (provider == null && rawText == null) {
            return "";
        }
        StringBuilder details = new StringBuilder(" (");
        if (provider != null) {
            details.append("provider: ").append(provider);
        }
        if (rawText != null) {
            if (provider != null) {
                details.append("; ");
            }
            details.append("raw: ").append(OpenAiRequestTranslator.truncate(rawText, MAX_RAW_CHARS));
            if (rawText.length() > MAX_RAW_CHARS) {
                details.append("...");
            }
        }
        return details.append(')').toString();
    }
}
