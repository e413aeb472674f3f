package io.claudelb.codec.message;

/**
 * The stream broke the Messages streaming protocol in a way that would lose content if assembled anyway (a delta
 * for a block that never started, a second {@code message_start}, data that is not JSON). The message says which
 * event and index, never the content.
 */
final class StreamFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    StreamFormatException(String message) {
        super(message, null, false, false);
    }
}
