package io.claudelb.codec.error;

/**
 * The {@code error} object of an Anthropic error body or {@code event: error} payload, as read by
 * {@link ErrorBodyReader}.
 *
 * @param type    {@code error.type} (for example {@code overloaded_error}), or null when the body had none
 * @param message {@code error.message} (or {@code error} itself when a backend sent a bare string), or null
 */
public record ErrorInfo(String type, String message) {
}
