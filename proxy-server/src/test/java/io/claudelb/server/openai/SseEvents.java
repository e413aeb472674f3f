package io.claudelb.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A translated Anthropic stream as the client received it, split into {@code event:}/{@code data:} pairs, with the
 * few readings the tests need: event names in order, the text of one block kind, the stop reason.
 */
record SseEvents(List<SseEvents.Event> events) {

    /** One event: its name and its JSON data. */
    record Event(String name, String data) {
        String field(String path) {
            return Json.field(data, path);
        }
    }

    /** Parses a complete stream; every event must have exactly one {@code event:} and one {@code data:} line. */
    static SseEvents parse(String stream) {
        assertThat(stream).as("stream ends with a complete event").endsWith("\n\n");
        List<Event> events = new ArrayList<>();
        for (String block : stream.substring(0, stream.length() - 2).split("\n\n", -1)) {
            String[] lines = block.split("\n", -1);
            assertThat(lines).as("event %s", block).hasSize(2);
            assertThat(lines[0]).startsWith("event: ");
            assertThat(lines[1]).startsWith("data: ");
            String name = lines[0].substring("event: ".length());
            String data = lines[1].substring("data: ".length());
            assertThat(Json.field(data, "type")).as("type of %s", block).isEqualTo(name);
            events.add(new Event(name, data));
        }
        return new SseEvents(events);
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    Event last() {
        return events.get(events.size() - 1);
    }

    /** The {@code content_block_start} events' {@code content_block.type}s, in order. */
    List<String> blockTypes() {
        return events.stream().filter(e -> e.name().equals("content_block_start"))
                .map(e -> e.field("content_block.type")).toList();
    }

    /** The start event of block {@code index}. */
    Event blockStart(int index) {
        return events.stream().filter(e -> e.name().equals("content_block_start")
                && String.valueOf(index).equals(e.field("index"))).findFirst().orElseThrow();
    }

    /** The concatenated {@code field} of every delta of block {@code index}. */
    String deltas(int index, String field) {
        StringBuilder text = new StringBuilder();
        for (Event e : events) {
            if (e.name().equals("content_block_delta") && String.valueOf(index).equals(e.field("index"))) {
                String piece = e.field("delta." + field);
                if (piece != null) {
                    text.append(piece);
                }
            }
        }
        return text.toString();
    }

    /** The {@code message_delta} event. */
    Event messageDelta() {
        return events.stream().filter(e -> e.name().equals("message_delta")).findFirst().orElseThrow();
    }
}
