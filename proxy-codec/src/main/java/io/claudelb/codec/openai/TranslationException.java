package io.claudelb.codec.openai;

/**
 * A body that cannot be translated between the Anthropic Messages and OpenAI Chat Completions formats.
 *
 * <p>Thrown by the request translator for client input it cannot express (answer 400
 * {@code invalid_request_error}) and by the response translator for an upstream body that is not a Chat
 * Completion (answer 502 {@code api_error}). The message is safe to show the client: it names the offending JSON
 * path and never echoes body content or upstream secrets.
 */
public final class TranslationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TranslationException(String message) {
        super(message, null, false, false);
    }
}
