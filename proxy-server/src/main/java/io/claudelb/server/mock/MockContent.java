package io.claudelb.server.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * The content of the mock's answer for one behaviour: the thinking text and signature, the text split into deltas,
 * the tool call split into {@code input_json_delta} fragments. The same pieces feed the SSE stream and the JSON
 * message, so both carry the same content. Fixed strings only (no randomness), so answers are deterministic.
 */
record MockContent(
        List<String> thinkingDeltas,
        String signature,
        List<String> textDeltas,
        List<String> toolInputFragments,
        boolean thinking,
        boolean toolUse,
        boolean webSearch) {

    static final String TOOL_NAME = "get_weather";
    static final String TOOL_INPUT = "{\"location\":\"San Francisco, CA\",\"unit\":\"celsius\"}";

    private static final List<String> THINKING = List.of(
            "The user wants an answer from the mock upstream. ",
            "A short, deterministic reply will do.");
    // Looks like the base64 signatures the API sends; proxies must pass it through byte-exact.
    private static final String SIGNATURE =
            "EqQBCkYIBxgCKkBmb2NrLXNpZ25hdHVyZS1mb3ItY2xhdWRlLWxiLW1vY2stdGhpbmtpbmctYmxvY2sSDG1vY2stc2lnbmF0dXJl";
    private static final String TEXT_SOURCE = "Hello from the claude-lb mock upstream. This text is deterministic, "
            + "so a proxied answer can be compared byte for byte with a direct one. ";
    // The API's first input_json_delta is empty; the rest concatenate to TOOL_INPUT.
    private static final List<String> TOOL_FRAGMENTS =
            List.of("", "{\"location\":", "\"San Fran", "cisco, CA\"", ",\"unit\":\"celsius\"}");

    static MockContent of(MockBehaviour behaviour) {
        return new MockContent(THINKING, SIGNATURE, textDeltas(behaviour.textEvents(), behaviour.effectiveTextBytes()),
                TOOL_FRAGMENTS, behaviour.thinking(), behaviour.toolUse(), behaviour.webSearch());
    }

    /** {@code bytes} of text cycled from a fixed sentence, cut into {@code events} near-equal deltas. */
    private static List<String> textDeltas(int events, int bytes) {
        List<String> deltas = new ArrayList<>(events);
        if (events == 0) {
            return deltas;
        }
        StringBuilder text = new StringBuilder(bytes);
        while (text.length() < bytes) {
            text.append(TEXT_SOURCE, 0, Math.min(TEXT_SOURCE.length(), bytes - text.length()));
        }
        int base = bytes / events;
        int larger = bytes % events; // the first `larger` deltas carry one byte more
        int from = 0;
        for (int i = 0; i < events; i++) {
            int to = from + base + (i < larger ? 1 : 0);
            deltas.add(text.substring(from, to));
            from = to;
        }
        return deltas;
    }

    String thinkingText() {
        return String.join("", thinkingDeltas);
    }

    String text() {
        return String.join("", textDeltas);
    }

    String stopReason() {
        return toolUse ? "tool_use" : "end_turn";
    }

    /** A mock output-token figure: the generated characters / 4, at least 1. */
    int outputTokens() {
        int chars = text().length() + (thinking ? thinkingText().length() : 0) + (toolUse ? TOOL_INPUT.length() : 0);
        return Math.max(1, chars / 4);
    }
}
