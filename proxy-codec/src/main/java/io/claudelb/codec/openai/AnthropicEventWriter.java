package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import java.io.IOException;

/**
 * Writes Anthropic Messages SSE events ({@code event: <type>\ndata: <json>\n\n}) into one buffer with one
 * generator. Part of {@link OpenAiStreamTranslator}; one writer per output batch. The buffer stays the caller's.
 */
final class AnthropicEventWriter implements AutoCloseable {
    private final JsonGenerator gen;

    AnthropicEventWriter(ByteBuf out) throws IOException {
        gen = JsonTree.generator(out);
        gen.setRootValueSeparator(null);
    }

    void messageStart(String id, String model, TokenUsage usage) throws IOException {
        begin("message_start");
        gen.writeObjectFieldStart("message");
        gen.writeStringField("id", id);
        gen.writeStringField("type", "message");
        gen.writeStringField("role", "assistant");
        gen.writeStringField("model", model);
        gen.writeArrayFieldStart("content");
        gen.writeEndArray();
        gen.writeNullField("stop_reason");
        gen.writeNullField("stop_sequence");
        gen.writeObjectFieldStart("usage");
        usage.writeFields(gen);
        gen.writeEndObject();
        gen.writeEndObject();
        end();
    }

    void ping() throws IOException {
        begin("ping");
        end();
    }

    void textBlockStart(int index) throws IOException {
        blockStart(index, "text");
        gen.writeStringField("text", "");
        endBlockStart();
    }

    /** A thinking block; the empty signature is explained in {@link OpenAiResponseTranslator}. */
    void thinkingBlockStart(int index) throws IOException {
        blockStart(index, "thinking");
        gen.writeStringField("thinking", "");
        gen.writeStringField("signature", "");
        endBlockStart();
    }

    void toolBlockStart(int index, String id, String name) throws IOException {
        blockStart(index, "tool_use");
        gen.writeStringField("id", id);
        gen.writeStringField("name", name);
        gen.writeObjectFieldStart("input");
        gen.writeEndObject();
        endBlockStart();
    }

    void textDelta(int index, String text) throws IOException {
        delta(index, "text_delta", "text", text);
    }

    void thinkingDelta(int index, String thinking) throws IOException {
        delta(index, "thinking_delta", "thinking", thinking);
    }

    void inputJsonDelta(int index, String partialJson) throws IOException {
        delta(index, "input_json_delta", "partial_json", partialJson);
    }

    void blockStop(int index) throws IOException {
        begin("content_block_stop");
        gen.writeNumberField("index", index);
        end();
    }

    /** {@code message_delta}; with real usage when the upstream sent it, else only an output-token estimate. */
    void messageDelta(String stopReason, TokenUsage usage, long estimatedOutputTokens) throws IOException {
        begin("message_delta");
        gen.writeObjectFieldStart("delta");
        gen.writeStringField("stop_reason", stopReason);
        gen.writeNullField("stop_sequence");
        gen.writeEndObject();
        gen.writeObjectFieldStart("usage");
        if (usage != null) {
            usage.writeFields(gen);
        } else {
            gen.writeNumberField("output_tokens", estimatedOutputTokens);
        }
        gen.writeEndObject();
        end();
    }

    void messageStop() throws IOException {
        begin("message_stop");
        end();
    }

    void error(String type, String message) throws IOException {
        begin("error");
        gen.writeObjectFieldStart("error");
        gen.writeStringField("type", type);
        gen.writeStringField("message", message);
        gen.writeEndObject();
        end();
    }

    /** Flushes everything written into the buffer. */
    @Override
    public void close() throws IOException {
        gen.close();
    }

    private void delta(int index, String deltaType, String field, String value) throws IOException {
        begin("content_block_delta");
        gen.writeNumberField("index", index);
        gen.writeObjectFieldStart("delta");
        gen.writeStringField("type", deltaType);
        gen.writeStringField(field, value);
        gen.writeEndObject();
        end();
    }

    private void blockStart(int index, String blockType) throws IOException {
        begin("content_block_start");
        gen.writeNumberField("index", index);
        gen.writeObjectFieldStart("content_block");
        gen.writeStringField("type", blockType);
    }

    private void endBlockStart() throws IOException {
        gen.writeEndObject();
        end();
    }

    private void begin(String type) throws IOException {
        gen.writeRaw("event: ");
        gen.writeRaw(type);
        gen.writeRaw("\ndata: ");
        gen.writeStartObject();
        gen.writeStringField("type", type);
    }

    private void end() throws IOException {
        gen.writeEndObject();
        gen.writeRaw("\n\n");
    }
}
