package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.server.mock.ResponseTemplate.Slot;
import java.io.IOException;
import java.util.List;

/**
 * Writes the OpenAI Chat Completions JSON of the mock's answer with jackson-core: the complete
 * {@code chat.completion} and the {@code chat.completion.chunk}s of a stream, field order as OpenAI's. Per-request
 * values are {@link Slot} markers for {@link ResponseTemplate}: the id ({@code chatcmpl-mock-<hash>}), the model
 * and {@code prompt_tokens}.
 */
final class ChatCompletionJson {
    /** A fixed creation time: the answer must be the same bytes for the same request. */
    static final long CREATED = 1_700_000_000L;
    /** {@code prompt_tokens_details.cached_tokens} of every answer, so cache-read mapping is visible. */
    static final int CACHED_TOKENS = 8;

    private final MockContent content;
    private final List<ChatToolCall> toolCalls;

    ChatCompletionJson(MockContent content, List<ChatToolCall> toolCalls) {
        this.content = content;
        this.toolCalls = toolCalls;
    }

    String finishReason() {
        return toolCalls.isEmpty() ? "stop" : "tool_calls";
    }

    /** A mock completion-token figure: generated characters / 4, at least 1. */
    int completionTokens() {
        int chars = content.text().length() + (content.thinking() ? content.thinkingText().length() : 0);
        for (ChatToolCall call : toolCalls) {
            chars += call.arguments().length();
        }
        return Math.max(1, chars / 4);
    }

    /** The non-streaming {@code chat.completion}. */
    byte[] completion() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            writeEnvelope(g, "chat.completion");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            if (content.text().isEmpty()) {
                g.writeNullField("content");
            } else {
                g.writeStringField("content", content.text());
            }
            if (content.thinking()) {
                g.writeStringField("reasoning_content", content.thinkingText());
            }
            if (!toolCalls.isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                for (ChatToolCall call : toolCalls) {
                    g.writeStartObject();
                    g.writeStringField("id", call.id());
                    g.writeStringField("type", "function");
                    writeFunction(g, MockContent.TOOL_NAME, call.arguments());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeStringField("finish_reason", finishReason());
            g.writeEndObject();
            g.writeEndArray();
            writeUsage(g);
            g.writeEndObject();
        });
    }

    /** The first chunk: the assistant role and empty content. */
    byte[] roleChunk() {
        return chunk(g -> {
            g.writeStringField("role", "assistant");
            g.writeStringField("content", "");
        }, null);
    }

    byte[] reasoningChunk(String reasoning) {
        return chunk(g -> g.writeStringField("reasoning_content", reasoning), null);
    }

    byte[] textChunk(String text) {
        return chunk(g -> g.writeStringField("content", text), null);
    }

    /**
     * One {@code tool_calls} delta for a call: with its id, type and name when {@code announce}, and with an
     * {@code arguments} fragment when {@code fragment} is not null.
     */
    byte[] toolCallChunk(ChatToolCall call, boolean announce, String fragment) {
        return chunk(g -> {
            g.writeArrayFieldStart("tool_calls");
            g.writeStartObject();
            g.writeNumberField("index", call.index());
            if (announce) {
                g.writeStringField("id", call.id());
                g.writeStringField("type", "function");
            }
            g.writeObjectFieldStart("function");
            if (announce) {
                g.writeStringField("name", MockContent.TOOL_NAME);
            }
            if (fragment != null) {
                g.writeStringField("arguments", fragment);
            }
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }, null);
    }

    /** The last choice chunk: an empty delta and the finish reason. */
    byte[] finishChunk() {
        return chunk(g -> { }, finishReason());
    }

    /** The chunk {@code stream_options.include_usage} asks for: no choices, the usage. */
    byte[] usageChunk() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            writeEnvelope(g, "chat.completion.chunk");
            g.writeArrayFieldStart("choices");
            g.writeEndArray();
            writeUsage(g);
            g.writeEndObject();
        });
    }

    /** An error reported inside a 200 stream, as OpenRouter does when its provider fails mid-way. */
    static byte[] errorChunk() {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeStringField("message", "mock: the provider is overloaded");
            g.writeStringField("type", "server_error");
            g.writeNumberField("code", 503);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Frames a JSON payload as one Chat Completions SSE event: {@code data: JSON\n\n}. */
    static byte[] sseData(byte[] json) {
        return MessageJson.sse("data: ", json);
    }

    private byte[] chunk(JsonBytes.Writer delta, String finishReason) {
        return JsonBytes.write(g -> {
            g.writeStartObject();
            writeEnvelope(g, "chat.completion.chunk");
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("delta");
            delta.write(g);
            g.writeEndObject();
            if (finishReason == null) {
                g.writeNullField("finish_reason");
            } else {
                g.writeStringField("finish_reason", finishReason);
            }
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void writeEnvelope(JsonGenerator g, String object) throws IOException {
        g.writeStringField("id", "chatcmpl-mock-" + Slot.HASH.marker);
        g.writeStringField("object", object);
        g.writeNumberField("created", CREATED);
        g.writeFieldName("model");
        g.writeRawValue(Slot.MODEL.marker);
    }

    private static void writeFunction(JsonGenerator g, String name, String arguments) throws IOException {
        g.writeObjectFieldStart("function");
        g.writeStringField("name", name);
        g.writeStringField("arguments", arguments);
        g.writeEndObject();
    }

    private void writeUsage(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("usage");
        g.writeFieldName("prompt_tokens");
        g.writeRawValue(Slot.INPUT_TOKENS.marker);
        g.writeNumberField("completion_tokens", completionTokens());
        g.writeObjectFieldStart("prompt_tokens_details");
        g.writeNumberField("cached_tokens", CACHED_TOKENS);
        g.writeEndObject();
        g.writeEndObject();
    }
}
