package io.claudelb.codec.sse;

import java.util.ArrayList;
import java.util.List;

/** A realistic Anthropic stream and a listener that records what a scanner reports. */
final class SseFixtures {
    private SseFixtures() {
    }

    /** Thinking, text (multi-byte), tool use, ping, comments and the odd corners of the format; LF endings. */
    static final String STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01","type":"message","role":"assistant","model":"claude-opus-5-5","content":[],"stop_reason":null,"usage":{"input_tokens":2095,"cache_creation_input_tokens":1200,"cache_read_input_tokens":48000,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}

            : keep-alive comment
            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"先想一想 🤔"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQBCkYIBxgCKkB3Q2k9mZ1v=="}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event:content_block_start
            data:{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}

            id: 7
            retry: 1000
            event: content_block_delta
            data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello, 世界 ✨\\n"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":1}

            event: content_block_start
            data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_01","name":"Bash","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"command\\": \\"ls"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":" -la\\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":2}

            event: future_event_type
            data: first line
            data:
            data:  two leading spaces, one kept

            data: {"type":"unnamed"}

            event: orphan_name_without_data

            unknownfield: ignored
            averyveryverylongfieldname: ignored
            data

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":89}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    /** What {@link #STREAM} dispatches, in order (name, data). */
    static final List<Event> EXPECTED = List.of(
            new Event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01\",\"type\":\"message\","
                    + "\"role\":\"assistant\",\"model\":\"claude-opus-5-5\",\"content\":[],\"stop_reason\":null,"
                    + "\"usage\":{\"input_tokens\":2095,\"cache_creation_input_tokens\":1200,"
                    + "\"cache_read_input_tokens\":48000,\"output_tokens\":1}}}"),
            new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
                    + "{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}"),
            new Event("ping", "{\"type\": \"ping\"}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"thinking_delta\",\"thinking\":\"先想一想 🤔\"}}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"signature_delta\",\"signature\":\"EqQBCkYIBxgCKkB3Q2k9mZ1v==\"}}"),
            new Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"),
            new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":"
                    + "{\"type\":\"text\",\"text\":\"\"}}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\"Hello, 世界 ✨\\n\"}}"),
            new Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"),
            new Event("content_block_start", "{\"type\":\"content_block_start\",\"index\":2,\"content_block\":"
                    + "{\"type\":\"tool_use\",\"id\":\"toolu_01\",\"name\":\"Bash\",\"input\":{}}}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"command\\\": \\\"ls\"}}"),
            new Event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":2,\"delta\":"
                    + "{\"type\":\"input_json_delta\",\"partial_json\":\" -la\\\"}\"}}"),
            new Event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}"),
            new Event("future_event_type", "first line\n\n two leading spaces, one kept"),
            new Event(null, "{\"type\":\"unnamed\"}"),
            new Event(null, ""),
            new Event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\","
                    + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}"),
            new Event("message_stop", "{\"type\":\"message_stop\"}"));

    static String withLineEndings(String lf, String ending) {
        return lf.replace("\n", ending);
    }

    record Event(String name, String data) {
    }

    /** Records every event; wants the data of every event unless told otherwise. */
    static final class Recorder implements SseListener {
        final List<Event> events = new ArrayList<>();
        final List<String> asked = new ArrayList<>();
        private final java.util.function.Predicate<String> wants;

        Recorder() {
            this(name -> true);
        }

        Recorder(java.util.function.Predicate<String> wants) {
            this.wants = wants;
        }

        @Override
        public boolean wantsData(String eventName) {
            asked.add(eventName);
            return wants.test(eventName);
        }

        @Override
        public void onEvent(String eventName, byte[] data, int length) {
            events.add(new Event(eventName, data == null ? null
                    : new String(data, 0, length, java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
