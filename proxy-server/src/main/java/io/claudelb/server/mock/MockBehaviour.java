package io.claudelb.server.mock;

import java.time.Duration;
import java.util.Objects;

/**
 * How the mock upstream answers a model request ({@code POST .../v1/messages} and {@code .../count_tokens}).
 * Immutable and built by name ({@link #builder()}, {@link #toBuilder()}); {@link MockUpstream#setBehaviour} swaps the
 * default at runtime and {@link BehaviourHeaders} derives a per-request variant from {@code x-mock-*} request headers.
 *
 * <p>Whether the answer is an SSE stream or one JSON message follows the request body's {@code "stream"} field. The
 * answer's content is fixed by this record (not by the request), so the same request body under the same behaviour
 * always gets the same bytes.
 *
 * @param status status of a successful answer (and of {@code fixedBody}); 200 by default
 * @param timeToFirstByte delay before anything (head, error or reset) is sent
 * @param pace delay between consecutive SSE events; zero writes the whole stream at once
 * @param textEvents number of {@code text_delta} events (0 = an empty text block)
 * @param textBytes total text size in bytes, spread evenly over the deltas; every delta carries at least one byte
 * @param thinking include a thinking block (two {@code thinking_delta}s and a {@code signature_delta}) first
 * @param toolUse include a {@code tool_use} block streamed as {@code input_json_delta} fragments;
 *     the stop reason becomes {@code tool_use}
 * @param errorStatus 0 for none, else an HTTP error status (400-599) answered with an Anthropic-shaped error body
 * @param retryAfter value of the {@code retry-after} header sent with every answer whose status is 400 or more;
 *     null for none
 * @param inBandError stream answers are 200, {@code message_start}, then {@code event: error} (overloaded_error);
 *     a non-streaming request gets what that corresponds to, a 529 overloaded_error
 * @param resetAfterEvents -1 for never; else the TCP connection is reset (SO_LINGER 0) after this many SSE events
 *     (0 = right after the response head). A JSON answer is reset after its head and half of its body
 * @param resetBeforeHeaders reset the connection instead of answering at all
 * @param failFirst 0 applies the injected failure ({@code errorStatus}, {@code inBandError}, the resets) to every
 *     request; N applies it only to the first N model requests since the behaviour was set, later ones succeed.
 *     With N but no failure configured, the failure is a 529 overloaded_error
 * @param fixedBody null to generate the message; else this body is answered as-is ({@code application/json},
 *     with {@code status}) to every model request that does not fail
 * @param openAiToolCalls Chat Completions mode: number of tool calls in the answer (0 = one when {@code toolUse},
 *     else none); their arguments arrive fragmented over several chunks
 * @param openAiLateToolIds Chat Completions mode: a streamed tool call's id and name arrive only in its second
 *     chunk, after an argument fragment (some providers do this), instead of in the first
 * @param webSearch Messages mode: a server tool call ({@code server_tool_use} web_search, its input streamed as
 *     {@code input_json_delta}), its {@code web_search_tool_result} (whole in {@code content_block_start}) and a
 *     {@code citations_delta} on the text block come before the text, as the API answers with the web search tool
 */
public record MockBehaviour(
        int status,
        Duration timeToFirstByte,
        Duration pace,
        int textEvents,
        int textBytes,
        boolean thinking,
        boolean toolUse,
        int errorStatus,
        String retryAfter,
        boolean inBandError,
        int resetAfterEvents,
        boolean resetBeforeHeaders,
        int failFirst,
        String fixedBody,
        int openAiToolCalls,
        boolean openAiLateToolIds,
        boolean webSearch) {

    /** {@code resetAfterEvents} value meaning "never reset". */
    public static final int NEVER = -1;

    private static final MockBehaviour DEFAULTS = new Builder().build();

    public MockBehaviour {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, was " + status);
        }
        requireNonNegative(timeToFirstByte, "timeToFirstByte");
        requireNonNegative(pace, "pace");
        if (textEvents < 0 || textBytes < 0) {
            throw new IllegalArgumentException("textEvents and textBytes must be >= 0");
        }
        if (errorStatus != 0 && (errorStatus < 400 || errorStatus > 599)) {
            throw new IllegalArgumentException("errorStatus must be 0 or 400-599, was " + errorStatus);
        }
        if (retryAfter != null && !retryAfter.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("retryAfter must be printable ASCII");
        }
        if (resetAfterEvents < NEVER) {
            throw new IllegalArgumentException("resetAfterEvents must be -1 (never) or >= 0");
        }
        if (failFirst < 0) {
            throw new IllegalArgumentException("failFirst must be >= 0");
        }
        if (openAiToolCalls < 0) {
            throw new IllegalArgumentException("openAiToolCalls must be >= 0");
        }
    }

    /** 200, no delays, a thinking block and 8 text deltas of 160 bytes in all, no failures. */
    public static MockBehaviour defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from this behaviour. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    private static void requireNonNegative(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    /** True when this behaviour injects some failure (error status, in-band error or a reset). */
    public boolean injectsFailure() {
        return errorStatus != 0 || inBandError || resetAfterEvents != NEVER || resetBeforeHeaders;
    }

    /** Tool calls in a Chat Completions answer: {@code openAiToolCalls}, else one if {@code toolUse}. */
    public int effectiveOpenAiToolCalls() {
        return openAiToolCalls > 0 ? openAiToolCalls : toolUse ? 1 : 0;
    }

    /** Text size actually produced: every delta carries at least one byte. */
    public int effectiveTextBytes() {
        return Math.max(textBytes, textEvents);
    }

    /** The same behaviour with every injected failure removed (what a request past {@code failFirst} gets). */
    public MockBehaviour withoutFailures() {
        return toBuilder().errorStatus(0).inBandError(false).resetAfterEvents(NEVER).resetBeforeHeaders(false)
                .failFirst(0).build();
    }

    /**
     * Mock behaviour by name; {@link #build()} validates it (the record's constructor). The field initialisers are
     * where every default is declared: {@link #defaults()} is what a builder left alone builds.
     */
    public static final class Builder {
        private int status = 200;
        private Duration timeToFirstByte = Duration.ZERO;
        private Duration pace = Duration.ZERO;
        private int textEvents = 8;
        private int textBytes = 160;
        private boolean thinking = true;
        private boolean toolUse = false;
        private int errorStatus = 0;
        private String retryAfter = null;
        private boolean inBandError = false;
        private int resetAfterEvents = NEVER;
        private boolean resetBeforeHeaders = false;
        private int failFirst = 0;
        private String fixedBody = null;
        private int openAiToolCalls = 0;
        private boolean openAiLateToolIds = false;
        private boolean webSearch = false;

        private Builder() {
        }

        private Builder(MockBehaviour from) {
            status = from.status;
            timeToFirstByte = from.timeToFirstByte;
            pace = from.pace;
            textEvents = from.textEvents;
            textBytes = from.textBytes;
            thinking = from.thinking;
            toolUse = from.toolUse;
            errorStatus = from.errorStatus;
            retryAfter = from.retryAfter;
            inBandError = from.inBandError;
            resetAfterEvents = from.resetAfterEvents;
            resetBeforeHeaders = from.resetBeforeHeaders;
            failFirst = from.failFirst;
            fixedBody = from.fixedBody;
            openAiToolCalls = from.openAiToolCalls;
            openAiLateToolIds = from.openAiLateToolIds;
            webSearch = from.webSearch;
        }

        public Builder status(int value) {
            status = value;
            return this;
        }

        public Builder timeToFirstByte(Duration value) {
            timeToFirstByte = value;
            return this;
        }

        public Builder pace(Duration value) {
            pace = value;
            return this;
        }

        public Builder textEvents(int value) {
            textEvents = value;
            return this;
        }

        public Builder textBytes(int value) {
            textBytes = value;
            return this;
        }

        public Builder thinking(boolean value) {
            thinking = value;
            return this;
        }

        public Builder toolUse(boolean value) {
            toolUse = value;
            return this;
        }

        public Builder errorStatus(int value) {
            errorStatus = value;
            return this;
        }

        public Builder retryAfter(String value) {
            retryAfter = value;
            return this;
        }

        public Builder inBandError(boolean value) {
            inBandError = value;
            return this;
        }

        public Builder resetAfterEvents(int value) {
            resetAfterEvents = value;
            return this;
        }

        public Builder resetBeforeHeaders(boolean value) {
            resetBeforeHeaders = value;
            return this;
        }

        public Builder failFirst(int value) {
            failFirst = value;
            return this;
        }

        public Builder fixedBody(String value) {
            fixedBody = value;
            return this;
        }

        public Builder openAiToolCalls(int value) {
            openAiToolCalls = value;
            return this;
        }

        public Builder openAiLateToolIds(boolean value) {
            openAiLateToolIds = value;
            return this;
        }

        public Builder webSearch(boolean value) {
            webSearch = value;
            return this;
        }

        /** @throws IllegalArgumentException when the settings do not make a valid behaviour */
        public MockBehaviour build() {
            return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse,
                    errorStatus, retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody,
                    openAiToolCalls, openAiLateToolIds, webSearch);
        }
    }
}
