package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.server.mock.ResponseTemplate.Slot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes the Anthropic Messages JSON of the mock's answer with jackson-core: the complete message (non-streaming)
 * and the payload of each SSE event. Per-request values are written as {@link Slot} markers for
 * {@link ResponseTemplate}. Field order follows the real API's.
 */
final class MessageJson {
    private final MockContent content;
    private final MockUsage usage;

    /** @param usage counts to report instead of the mock's own figures, or null */
    MessageJson(MockContent content, MockUsage usage) {
        this.content = content;
        this.usage = usage;
    }

    /** The complete non-streaming message. */
    byte[] message() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            writeEnvelope(g);
            g.writeArrayFieldStart("content");
            if (content.thinking()) {
                g.writeStartObject();
                g.writeStringField("type", "thinking");
                g.writeStringField("thinking", content.thinkingText());
                g.writeStringField("signature", content.signature());
                g.writeEndObject();
            }
            if (content.webSearch()) {
                MockWebSearch.writeToolUse(g);
                MockWebSearch.writeResult(g);
            }
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeStringField("text", content.text());
            if (content.webSearch()) {
                g.writeArrayFieldStart("citations");
                MockWebSearch.writeCitation(g);
                g.writeEndArray();
            }
            g.writeEndObject();
            if (content.toolUse()) {
                writeToolUseStart(g);
                g.writeFieldName("input");
                g.writeRawValue(MockContent.TOOL_INPUT);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("stop_reason", content.stopReason());
            g.writeNullField("stop_sequence");
            writeUsage(g, outputTokens(), true);
            g.writeEndObject();
        });
    }

    /** {@code message_start}: the envelope with empty content, no stop reason yet, initial usage. */
    byte[] messageStart() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "message_start");
            g.writeObjectFieldStart("message");
            writeEnvelope(g);
            g.writeArrayFieldStart("content");
            g.writeEndArray();
            g.writeNullField("stop_reason");
            g.writeNullField("stop_sequence");
            writeUsage(g, 1, true);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    byte[] thinkingStart(int index) {
        return blockStart(index, g -> {
            g.writeStartObject();
            g.writeStringField("type", "thinking");
            g.writeStringField("thinking", "");
            g.writeStringField("signature", "");
            g.writeEndObject();
        });
    }

    byte[] textStart(int index) {
        return blockStart(index, g -> {
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeStringField("text", "");
            g.writeEndObject();
        });
    }

    byte[] toolUseStart(int index) {
        return blockStart(index, g -> {
            writeToolUseStart(g);
            g.writeObjectFieldStart("input");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    byte[] serverToolUseStart(int index) {
        return blockStart(index, MockWebSearch::writeToolUseStart);
    }

    byte[] webSearchResultStart(int index) {
        return blockStart(index, MockWebSearch::writeResult);
    }

    /** A {@code content_block_delta} carrying one citation. */
    static byte[] citationDelta(int index) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "content_block_delta");
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("delta");
            g.writeStringField("type", "citations_delta");
            g.writeFieldName("citation");
            MockWebSearch.writeCitation(g);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** A {@code content_block_delta} whose delta is {@code {"type": deltaType, field: value}}. */
    static byte[] delta(int index, String deltaType, String field, String value) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "content_block_delta");
            g.writeNumberField("index", index);
            g.writeObjectFieldStart("delta");
            g.writeStringField("type", deltaType);
            g.writeStringField(field, value);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    static byte[] blockStop(int index) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "content_block_stop");
            g.writeNumberField("index", index);
            g.writeEndObject();
        });
    }

    /** {@code message_delta}: the stop reason and the cumulative usage. */
    byte[] messageDelta() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "message_delta");
            g.writeObjectFieldStart("delta");
            g.writeStringField("stop_reason", content.stopReason());
            g.writeNullField("stop_sequence");
            g.writeEndObject();
            writeUsage(g, outputTokens(), false);
            g.writeEndObject();
        });
    }

    static byte[] typeOnly(String type) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeEndObject();
        });
    }

    private static byte[] blockStart(int index, JsonBytes.Writer block) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("type", "content_block_start");
            g.writeNumberField("index", index);
            g.writeFieldName("content_block");
            block.write(g);
            g.writeEndObject();
        });
    }

    private static void writeEnvelope(JsonGenerator g) throws IOException {
        g.writeStringField("id", "msg_mock_" + Slot.HASH.marker);
        g.writeStringField("type", "message");
        g.writeStringField("role", "assistant");
        g.writeFieldName("model");
        g.writeRawValue(Slot.MODEL.marker);
    }

    /** Leaves the tool_use object open after its name, for the caller's {@code input}. */
    private static void writeToolUseStart(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "tool_use");
        g.writeStringField("id", "toolu_mock_" + Slot.HASH.marker);
        g.writeStringField("name", MockContent.TOOL_NAME);
    }

    private long outputTokens() {
        return usage != null ? usage.output() : content.outputTokens();
    }

    private void writeUsage(JsonGenerator g, long outputTokens, boolean full) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeFieldName("input_tokens");
        if (usage != null) {
            g.writeNumber(usage.input());
        } else {
            g.writeRawValue(Slot.INPUT_TOKENS.marker);
        }
        g.writeNumberField("cache_creation_input_tokens", usage == null ? 0 : usage.cacheCreation());
        g.writeNumberField("cache_read_input_tokens", usage == null ? 0 : usage.cacheRead());
        if (full) {
            g.writeObjectFieldStart("cache_creation");
            g.writeNumberField("ephemeral_5m_input_tokens", usage == null ? 0 : usage.cacheWrite5m());
            g.writeNumberField("ephemeral_1h_input_tokens", usage == null ? 0 : usage.cacheWrite1h());
            g.writeEndObject();
        }
        g.writeNumberField("output_tokens", outputTokens);
        if (full) {
            g.writeStringField("service_tier", "standard");
        }
        g.writeEndObject();
    }

    /** Frames a JSON payload as one SSE event: {@code event: NAME\ndata: JSON\n\n}. */
    static byte[] sseEvent(String name, byte[] json) {
        return sse("event: " + name + "\ndata: ", json);
    }

    /** {@code lines} (ASCII, ending in {@code data: }), the payload, and the blank line that ends the event. */
    static byte[] sse(String lines, byte[] json) {
        byte[] head = lines.getBytes(StandardCharsets.US_ASCII);
        byte[] event = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, event, 0, head.length);
        System.arraycopy(json, 0, event, head.length, json.length);
        event[event.length - 2] = '\n';
        event[event.length - 1] = '\n';
        return event;
    }
}
