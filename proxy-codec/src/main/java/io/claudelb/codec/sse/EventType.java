package io.claudelb.codec.sse;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import java.io.IOException;

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
        if (data == null) {
            return null;
        }
        try (JsonParser parser = JsonParsers.over(data, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The event's name if it had one, else the type in its data. */
    public static String of(String eventName, byte[] data, int length) {
        return eventName != null ? eventName : of(data, length);
    }
}
