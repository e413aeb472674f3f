package io.claudelb.codec.sse;

import io.claudelb.codec.json.JsonParsers;

/**
 * The type of an SSE event that came without an {@code event:} line: Anthropic puts it again as the top-level
 * {@code type} of every event's JSON data, and some backends send only bare {@code data: {"type":...}} blocks. For
 * the consumers of {@link SseScanner} that must judge such events (the failover peek, the stream assembler).
 */
public final class EventType {
    private EventType() {
    }

    /** The top-level {@code type} string of the JSON in {@code data[0, length)}, or null (no data, none, not JSON). */
    public static String of(byte[] data, int length) {
        return JsonParsers.topLevelText(data, length, "type");
    }

    /** The event's name if it had one, else the type in its data. */
    public static String of(String eventName, byte[] data, int length) {
        return eventName != null ? eventName : of(data, length);
    }
}
