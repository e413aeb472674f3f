package io.claudelb.codec.cloud;

/**
 * An exception frame of a Bedrock stream ({@code :message-type: exception}, e.g. {@code throttlingException}), an
 * {@code :message-type: error} frame, or a stream that is not valid event-stream framing (a CRC mismatch, a bad
 * prelude): what ended the answer, for the caller to turn into a failure kind before the first byte reached the
 * client (by {@link #status()}, as if the upstream had answered that status) or to report after it.
 *
 * @param exceptionType Bedrock's name for it ({@code throttlingException}, ...), or {@value #FRAMING} for broken framing
 * @param message       Bedrock's message (safe for logs: it never holds a credential), empty when it gave none
 */
public record BedrockStreamException(String exceptionType, String message) {
    /** The type of a stream whose bytes are not event-stream frames. */
    public static final String FRAMING = "eventStreamFramingError";

    /** The HTTP status this stands for ({@link BedrockErrors#statusOf}); broken framing is a 502. */
    public int status() {
        return FRAMING.equals(exceptionType) ? 502 : BedrockErrors.statusOf(exceptionType);
    }

    /** The Anthropic error type a client is shown. */
    public String errorType() {
        return FRAMING.equals(exceptionType) ? "api_error" : BedrockErrors.errorTypeOf(exceptionType);
    }
}
