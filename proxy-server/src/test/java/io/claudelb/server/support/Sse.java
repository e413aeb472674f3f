package io.claudelb.server.support;

import java.util.ArrayList;
import java.util.List;

/** Server-sent events parsed from a stream's text, for assertions (tests only). */
public final class Sse {
    private Sse() {
    }

    /** One event: its {@code event:} name and {@code data:} text (null when absent). */
    public record Event(String event, String data) {
    }

    /** Parses complete {@code event:/data:} blocks separated by blank lines; an incomplete tail is dropped. */
    public static List<Event> parse(String stream) {
        String text = stream.replace("\r\n", "\n");
        List<Event> events = new ArrayList<>();
        int from = 0;
        int end;
        while ((end = text.indexOf("\n\n", from)) >= 0) {
            String event = null;
            String data = null;
            for (String line : text.substring(from, end).split("\n")) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).trim();
                }
            }
            events.add(new Event(event, data));
            from = end + 2;
        }
        return events;
    }

    /** The event names in order. */
    public static List<String> names(String stream) {
        return parse(stream).stream().map(Event::event).toList();
    }
}
