package io.claudelb.server.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * One tool call of the mock's Chat Completions answer: a deterministic id, the {@code get_weather} function and its
 * arguments, which a stream sends cut into {@link #FRAGMENT_CHARS}-character fragments (a real provider's argument
 * deltas are a few tokens each). Call 0 asks for {@link MockContent#TOOL_INPUT}, so the Anthropic and the OpenAI
 * modes agree on the first tool input; later calls ask for other cities.
 *
 * @param index     position in the message's {@code tool_calls}
 * @param arguments the arguments JSON, exactly as the fragments concatenate
 */
record ChatToolCall(int index, String arguments) {
    static final int FRAGMENT_CHARS = 12;
    private static final List<String> CITIES = List.of("San Francisco, CA", "Paris, France", "Tokyo, Japan",
            "Lagos, Nigeria", "Lima, Peru");

    /** The first {@code count} calls. */
    static List<ChatToolCall> first(int count) {
        List<ChatToolCall> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String city = CITIES.get(i % CITIES.size()) + (i < CITIES.size() ? "" : " " + (i / CITIES.size()));
            calls.add(new ChatToolCall(i, "{\"location\":\"" + city + "\",\"unit\":\"celsius\"}"));
        }
        return calls;
    }

    /** The id with the {@code @@HASH@@} slot, so each request body gets its own ids. */
    String id() {
        return "call_mock_" + ResponseTemplate.Slot.HASH.marker + "_" + index;
    }

    /** The arguments cut into fragments of at most {@link #FRAGMENT_CHARS} characters (ASCII, so no pair splits). */
    List<String> fragments() {
        List<String> fragments = new ArrayList<>();
        for (int from = 0; from < arguments.length(); from += FRAGMENT_CHARS) {
            fragments.add(arguments.substring(from, Math.min(arguments.length(), from + FRAGMENT_CHARS)));
        }
        return fragments;
    }
}
