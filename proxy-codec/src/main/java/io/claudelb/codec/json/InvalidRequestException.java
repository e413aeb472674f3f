package io.claudelb.codec.json;

/**
 * A request body the proxy cannot route: not JSON, not a JSON object, or without a usable {@code model}. The message
 * is safe to send back to the client (it quotes nothing but the client's own input) as an
 * {@code invalid_request_error} with status 400.
 *
 * <p>Client input errors are expected traffic, so the exception carries no stack trace.
 */
public final class InvalidRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
