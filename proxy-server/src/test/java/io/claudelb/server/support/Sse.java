package io.claudelb.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Server-sent events parsed from a stream's text, for assertions (tests only): {@link #parse} reads any stream as an
 * SSE client does; {@link #strict} also checks that the text is an Anthropic stream to the letter and gives the
 * readings tests ask of one (event names, block types, a block's concatenated deltas, the message delta).
 */
public record Sse(List<Sse.Event> events) {

    /** One event: its {@code event:} name (null when absent) and its {@code data:} text. */
    public record Event(String event, String data) {
        /** The data as a JSON tree. */
        public Json json() {
            return Json.parse(data);
        }

        /** The scalar at {@code path} of the JSON data as text, or null (see {@link Json#field}). */
        public String field(String path) {
            return Json.field(data, path);
        }
    }

    /**
     * Parses as an SSE client does (WHATWG rules, minus id/retry): lines end with LF, CRLF or CR; {@code data:} lines
     * of one event are joined with LF; a blank line dispatches an event that has data, and forgets the event name
     * either way. An unfinished event at the end is dropped.
     */
    public static List<Event> parse(String stream) {
        List<Event> events = new ArrayList<>();
        String event = null;
        StringBuilder data = null;
        String[] lines = stream.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        // The piece after the last line end is an unfinished line.
        for (int i = 0; i < lines.length - 1; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                if (data != null) {
                    events.add(new Event(event, data.toString()));
                }
                event = null;
                data = null;
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return events;
    }

    /** The event names of {@code stream} in order. */
    public static List<String> names(String stream) {
        return parse(stream).stream().map(Event::event).toList();
    }

    /**
     * Parses a complete Anthropic stream and checks its shape: every event is exactly one {@code event:} line and
     * one {@code data:} line, LF-terminated, whose JSON {@code type} is the event's name, and the text ends with a
     * complete event.
     */
    public static Sse strict(String stream) {
        List<Event> events = parse(stream);
        String written = events.stream().map(e -> "event: " + e.event() + "\ndata: " + e.data() + "\n\n")
                .collect(Collectors.joining());
        assertThat(stream).as("the stream, written back from its parsed events").isEqualTo(written);
        for (Event e : events) {
            assertThat(e.field("type")).as("type of %s", e).isEqualTo(e.event());
        }
        return new Sse(events);
    }

    public List<String> eventNames() {
        return events.stream().map(Event::event).toList();
    }

    public Event last() {
        return events.get(events.size() - 1);
    }

    /** The {@code content_block_start} events' {@code content_block.type}s, in order. */
    public List<String> blockTypes() {
        return events.stream().filter(e -> e.event().equals("content_block_start"))
                .map(e -> e.field("content_block.type")).toList();
    }

    /** The start event of block {@code index}. */
    public Event blockStart(int index) {
        return events.stream().filter(e -> e.event().equals("content_block_start")
                && String.valueOf(index).equals(e.field("index"))).findFirst().orElseThrow();
    }

    /** The concatenated {@code delta.<field>} of every delta of block {@code index}. */
    public String deltas(int index, String field) {
        StringBuilder text = new StringBuilder();
        for (Event e : events) {
            if (e.event().equals("content_block_delta") && String.valueOf(index).equals(e.field("index"))) {
                String piece = e.field("delta." + field);
                if (piece != null) {
                    text.append(piece);
                }
            }
        }
        return text.toString();
    }

    /** The {@code message_delta} event. */
    public Event messageDelta() {
        return events.stream().filter(e -> e.event().equals("message_delta")).findFirst().orElseThrow();
    }
}
