package io.claudelb.server.mock;

import java.time.Duration;
import java.util.Objects;

/**
 * How the mock upstream answers a model request ({@code POST .../v1/messages} and {@code .../count_tokens}).
 * Immutable; {@link MockUpstream#setBehaviour} swaps the default at runtime and {@link BehaviourHeaders} derives a
 * per-request variant from {@code x-mock-*} request headers.
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

    private static final MockBehaviour DEFAULTS = new MockBehaviour(200, Duration.ZERO, Duration.ZERO, 8, 160, true,
            false, 0, null, false, NEVER, false, 0, null, 0, false, false);

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

    public MockBehaviour withStatus(int value) {
        return new MockBehaviour(value, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withTimeToFirstByte(Duration value) {
        return new MockBehaviour(status, value, pace, textEvents, textBytes, thinking, toolUse, errorStatus, retryAfter,
                inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withPace(Duration value) {
        return new MockBehaviour(status, timeToFirstByte, value, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withTextEvents(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, value, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withTextBytes(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, value, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withThinking(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, value, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withToolUse(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, value, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withErrorStatus(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, value,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withRetryAfter(String value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                value, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withInBandError(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, value, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withResetAfterEvents(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, value, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withResetBeforeHeaders(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, value, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withFailFirst(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, value, fixedBody, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withFixedBody(String value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, value, openAiToolCalls,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withOpenAiToolCalls(int value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, value,
                openAiLateToolIds, webSearch);
    }

    public MockBehaviour withOpenAiLateToolIds(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                value, webSearch);
    }

    public MockBehaviour withWebSearch(boolean value) {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, errorStatus,
                retryAfter, inBandError, resetAfterEvents, resetBeforeHeaders, failFirst, fixedBody, openAiToolCalls,
                openAiLateToolIds, value);
    }

    /** The same behaviour with every injected failure removed (what a request past {@code failFirst} gets). */
    public MockBehaviour withoutFailures() {
        return new MockBehaviour(status, timeToFirstByte, pace, textEvents, textBytes, thinking, toolUse, 0, retryAfter,
                false, NEVER, false, 0, fixedBody, openAiToolCalls, openAiLateToolIds, webSearch);
    }
}
