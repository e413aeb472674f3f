package io.claudelb.codec.message;

import io.claudelb.codec.error.AnthropicErrors;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What a {@link StreamAssembler} made of a stream: the non-streaming Messages body, or why there is none.
 *
 * <ul>
 *   <li>{@link Outcome#COMPLETE}: the stream reached {@code message_stop}; {@link #body()} is the JSON a
 *       non-streaming request would have got, {@link #status()} 200.</li>
 *   <li>{@link Outcome#ERROR}: the stream carried an {@code event: error}; {@link #errorType()} and
 *       {@link #errorMessage()} are its, {@link #status()} the status the API answers that type with
 *       ({@link AnthropicErrors#statusForType}: {@code overloaded_error} 529, {@code rate_limit_error} 429, ...). Answer
 *       with {@code AnthropicErrors.jsonBody(alloc, errorType(), errorMessage())}.</li>
 *   <li>{@link Outcome#INCOMPLETE}: the stream ended without {@code message_stop} (cut, reset, timed out): there is
 *       no message to give. Never a 200.</li>
 *   <li>{@link Outcome#OVERFLOW}: the message outgrew the assembler's cap.</li>
 *   <li>{@link Outcome#MALFORMED}: the stream broke the protocol in a way that would lose content.</li>
 * </ul>
 * For the last three, {@link #status()} is 0: the caller chooses the answer (its own upstream call, or an
 * {@code api_error}); {@link #detail()} says what happened, for logs, without any of the content.
 *
 * <p>Ownership: {@link #body()} (COMPLETE only) is a new buffer the caller owns and must release or write.
 */
public final class AssemblyResult {

    /** How the stream ended, as far as the assembly is concerned. */
    public enum Outcome { COMPLETE, ERROR, INCOMPLETE, OVERFLOW, MALFORMED }

    private final Outcome outcome;
    private final ByteBuf body;
    private final int status;
    private final String errorType;
    private final String errorMessage;
    private final String detail;

    private AssemblyResult(Outcome outcome, ByteBuf body, int status, String errorType, String errorMessage,
            String detail) {
        this.outcome = outcome;
        this.body = body;
        this.status = status;
        this.errorType = errorType;
        this.errorMessage = errorMessage;
        this.detail = detail;
    }

    static AssemblyResult complete(ByteBuf body) {
        return new AssemblyResult(Outcome.COMPLETE, Objects.requireNonNull(body, "body"), 200, null, null, null);
    }

    static AssemblyResult error(String errorType, String errorMessage) {
        return new AssemblyResult(Outcome.ERROR, null, AnthropicErrors.statusForType(errorType), errorType,
                errorMessage, "event: error " + errorType);
    }

    static AssemblyResult failed(Outcome outcome, String detail) {
        if (outcome == Outcome.COMPLETE || outcome == Outcome.ERROR) {
            throw new IllegalArgumentException("not a failure: " + outcome);
        }
        return new AssemblyResult(outcome, null, 0, null, null, Objects.requireNonNull(detail, "detail"));
    }

    public Outcome outcome() {
        return outcome;
    }

    /** True for {@link Outcome#COMPLETE}. */
    public boolean isComplete() {
        return outcome == Outcome.COMPLETE;
    }

    /** With {@link Outcome#COMPLETE}: the Messages JSON, owned by the caller; else null. */
    public ByteBuf body() {
        return body;
    }

    /** 200 when complete, the error type's status for an in-band error, else 0. */
    public int status() {
        return status;
    }

    /** With {@link Outcome#ERROR}: {@code error.type} (never null, {@code api_error} when unreadable); else null. */
    public String errorType() {
        return errorType;
    }

    /** With {@link Outcome#ERROR}: {@code error.message} (never null, possibly empty); else null. */
    public String errorMessage() {
        return errorMessage;
    }

    /** Why there is no body (INCOMPLETE, OVERFLOW, MALFORMED), or the error type; null when complete. */
    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return "AssemblyResult[" + outcome + (status != 0 ? " " + status : "")
                + (detail != null ? ": " + detail : "") + "]";
    }
}
