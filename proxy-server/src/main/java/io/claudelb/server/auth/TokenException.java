package io.claudelb.server.auth;

/**
 * A token could not be obtained: the token endpoint refused, answered something unusable, or could not be reached.
 * The message names the upstream and the reason (an HTTP status, an OAuth error code) and never a secret; it is for
 * logs, not for clients, who only learn that the upstream's credential failed.
 */
public final class TokenException extends Exception {
    private static final long serialVersionUID = 1L;

    public TokenException(String message) {
        super(message);
    }

    public TokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
