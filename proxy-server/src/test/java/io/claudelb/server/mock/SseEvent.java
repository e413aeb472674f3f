package io.claudelb.server.mock;

import java.util.ArrayList;
import java.util.List;

/** One parsed server-sent event, for assertions. */
record SseEvent(String event, String data) {

    /** Parses complete {@code event:/data:} blocks separated by blank lines; an incomplete tail is dropped. */
    static List<SseEvent> parse(String stream) {
        List<SseEvent> events = new ArrayList<>();
        int from = 0;
        int end;
        while ((end = stream.indexOf("\n\n", from)) >= 0) {
            String event = null;
            String data = null;
            for (String line : stream.substring(from, end).split("\n")) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                }
            }
            events.add(new SseEvent(event, data));
            from = end + 2;
        }
        return events;
    }

    /** Parsed data as a JSON tree. */
    Json json() {
        return Json.parse(data);
    }
}
