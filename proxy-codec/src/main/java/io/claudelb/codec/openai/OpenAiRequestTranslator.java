package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.List;

/**
 * Translates an Anthropic Messages request body into an OpenAI Chat Completions request body. Called by the server
 * for {@code openai}-kind upstreams, before the body is sent to {@code {base_url}/chat/completions}.
 *
 * <p>The body is read once into a {@link JsonValue} tree and written with a jackson-core generator, fields in a
 * fixed order: {@code model}, {@code messages} (see {@link ChatMessageWriter}), {@code max_tokens} or
 * {@code max_completion_tokens}, {@code temperature}, {@code top_p}, {@code stop} (from {@code stop_sequences}),
 * {@code stream} with {@code stream_options.include_usage=true}, {@code tools}, {@code tool_choice},
 * {@code parallel_tool_calls}, {@code user} (from {@code metadata.user_id}, truncated) and the reasoning effort (from
 * {@code thinking}, see {@link ReasoningEffort}). Every other field ({@code top_k}, {@code context_management},
 * {@code output_config}, {@code service_tier}, {@code container}, {@code mcp_servers}, ...) is Anthropic-only and
 * dropped.
 *
 * <p>Tools: custom tools become {@code {"type":"function","function":{"name","description","parameters"}}} (the
 * {@code input_schema} as parameters, {@code strict} kept); Anthropic server tools (typed tools without an
 * {@code input_schema}, such as {@code web_search_20250305}) have no Chat Completions form and are dropped.
 * {@code tool_choice}: {@code auto} → {@code "auto"}, {@code any} → {@code "required"}, {@code none} →
 * {@code "none"}, {@code tool} → {@code {"type":"function","function":{"name"}}};
 * {@code disable_parallel_tool_use: true} → {@code parallel_tool_calls: false}. Neither is sent without tools.
 */
public final class OpenAiRequestTranslator {

    private OpenAiRequestTranslator() {
    }

    /**
     * Returns a new buffer (owned by the caller) holding the Chat Completions body for {@code anthropicBody}. The
     * input is neither released nor consumed.
     *
     * @throws TranslationException when the request is not a valid Messages request or uses something the
     *                              upstream cannot express; the message is safe to return as a 400
     */
    public static ByteBuf translate(ByteBufAllocator alloc, ByteBuf anthropicBody, OpenAiTarget target) {
        JsonValue request;
        try {
            request = JsonTree.parse(anthropicBody);
        } catch (IOException e) {
            throw new TranslationException("request body is not valid JSON");
        }
        if (!(request instanceof JsonValue.Obj)) {
            throw new TranslationException("request body must be a JSON object");
        }
        return JsonTree.write(alloc, Math.max(256, anthropicBody.readableBytes()),
                gen -> write(gen, request, target));
    }

    private static void write(JsonGenerator gen, JsonValue request, OpenAiTarget target) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("model", target.model());
        writeMessages(gen, request);
        copyNumber(gen, request, "max_tokens",
                target.useMaxCompletionTokens() ? "max_completion_tokens" : "max_tokens");
        copyNumber(gen, request, "temperature", "temperature");
        copyNumber(gen, request, "top_p", "top_p");
        writeStop(gen, request.get("stop_sequences"));
        if (JsonValue.isTrue(request.get("stream"))) {
            gen.writeBooleanField("stream", true);
            gen.writeObjectFieldStart("stream_options");
            gen.writeBooleanField("include_usage", true);
            gen.writeEndObject();
        }
        if (writeTools(gen, request.get("tools"))) {
            writeToolChoice(gen, request.get("tool_choice"));
        }
        writeUser(gen, request.get("metadata"), target.userMaxLength());
        writeReasoning(gen, request, target.reasoningEffortParam());
        gen.writeEndObject();
    }

    private static void writeMessages(JsonGenerator gen, JsonValue request) throws IOException {
        if (!(request.get("messages") instanceof JsonValue.Arr messages)) {
            throw new TranslationException("messages: is required and must be an array");
        }
        ChatMessageWriter writer = new ChatMessageWriter(gen);
        gen.writeArrayFieldStart("messages");
        writer.writeSystem(request.get("system"));
        List<JsonValue> items = messages.items();
        for (int i = 0; i < items.size(); i++) {
            writer.writeMessage(items.get(i), i);
        }
        gen.writeEndArray();
    }

    private static void copyNumber(JsonGenerator gen, JsonValue request, String from, String to) throws IOException {
        JsonValue value = request.get(from);
        if (value == null || value == JsonValue.Null.INSTANCE) {
            return;
        }
        if (!(value instanceof JsonValue.Num number)) {
            throw new TranslationException(from + ": must be a number");
        }
        gen.writeFieldName(to);
        gen.writeNumber(number.source());
    }

    private static void writeStop(JsonGenerator gen, JsonValue stopSequences) throws IOException {
        if (stopSequences == null || stopSequences == JsonValue.Null.INSTANCE) {
            return;
        }
        if (!(stopSequences instanceof JsonValue.Arr arr)) {
            throw new TranslationException("stop_sequences: must be an array of strings");
        }
        if (arr.items().isEmpty()) {
            return;
        }
        gen.writeArrayFieldStart("stop");
        for (int i = 0; i < arr.items().size(); i++) {
            String stop = arr.items().get(i).text();
            if (stop == null) {
                throw new TranslationException("stop_sequences." + i + ": must be a string");
            }
            gen.writeString(stop);
        }
        gen.writeEndArray();
    }

    /** Writes {@code tools} and returns whether any function was written. */
    private static boolean writeTools(JsonGenerator gen, JsonValue tools) throws IOException {
        if (tools == null || tools == JsonValue.Null.INSTANCE) {
            return false;
        }
        if (!(tools instanceof JsonValue.Arr arr)) {
            throw new TranslationException("tools: must be an array");
        }
        boolean any = false;
        for (int i = 0; i < arr.items().size(); i++) {
            JsonValue tool = arr.items().get(i);
            String type = tool.textOf("type");
            JsonValue schema = tool.get("input_schema");
            if (schema == null && type != null && !"custom".equals(type)) {
                continue;
            }
            String name = tool.textOf("name");
            if (name == null) {
                throw new TranslationException("tools." + i + ".name: must be a string");
            }
            if (!any) {
                gen.writeArrayFieldStart("tools");
                any = true;
            }
            gen.writeStartObject();
            gen.writeStringField("type", "function");
            gen.writeObjectFieldStart("function");
            gen.writeStringField("name", name);
            String description = tool.textOf("description");
            if (description != null) {
                gen.writeStringField("description", description);
            }
            gen.writeFieldName("parameters");
            if (schema instanceof JsonValue.Obj) {
                JsonTree.write(gen, schema);
            } else {
                gen.writeStartObject();
                gen.writeStringField("type", "object");
                gen.writeObjectFieldStart("properties");
                gen.writeEndObject();
                gen.writeEndObject();
            }
            JsonValue strict = tool.get("strict");
            if (strict instanceof JsonValue.Bool bool) {
                gen.writeBooleanField("strict", bool.value());
            }
            gen.writeEndObject();
            gen.writeEndObject();
        }
        if (any) {
            gen.writeEndArray();
        }
        return any;
    }

    private static void writeToolChoice(JsonGenerator gen, JsonValue choice) throws IOException {
        if (choice == null || choice == JsonValue.Null.INSTANCE) {
            return;
        }
        String type = choice.textOf("type");
        if (type == null) {
            throw new TranslationException("tool_choice.type: is required");
        }
        switch (type) {
            case "auto":
                gen.writeStringField("tool_choice", "auto");
                break;
            case "any":
                gen.writeStringField("tool_choice", "required");
                break;
            case "none":
                gen.writeStringField("tool_choice", "none");
                break;
            case "tool": {
                String name = choice.textOf("name");
                if (name == null) {
                    throw new TranslationException("tool_choice.name: is required when type is 'tool'");
                }
                gen.writeObjectFieldStart("tool_choice");
                gen.writeStringField("type", "function");
                gen.writeObjectFieldStart("function");
                gen.writeStringField("name", name);
                gen.writeEndObject();
                gen.writeEndObject();
                break;
            }
            default:
                throw new TranslationException("tool_choice.type: must be one of auto, any, none, tool");
        }
        if (JsonValue.isTrue(choice.get("disable_parallel_tool_use")) && !"none".equals(type)) {
            gen.writeBooleanField("parallel_tool_calls", false);
        }
    }

    private static void writeUser(JsonGenerator gen, JsonValue metadata, int maxLength) throws IOException {
        String userId = metadata == null ? null : metadata.textOf("user_id");
        if (userId == null || userId.isEmpty() || maxLength == 0) {
            return;
        }
        gen.writeStringField("user", truncate(userId, maxLength));
    }

    /** The first {@code maxLength} chars of {@code text}, never ending inside a surrogate pair. */
    static String truncate(String text, int maxLength) {
        if (text.length() <= maxLength) {
            return text;
        }
        int end = maxLength;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    private static void writeReasoning(JsonGenerator gen, JsonValue request, String param) throws IOException {
        if (param == null) {
            return;
        }
        String effort = ReasoningEffort.of(request.get("thinking"), request.get("output_config"));
        if (effort == null) {
            return;
        }
        int dot = param.indexOf('.');
        if (dot < 0) {
            gen.writeStringField(param, effort);
        } else {
            gen.writeObjectFieldStart(param.substring(0, dot));
            gen.writeStringField(param.substring(dot + 1), effort);
            gen.writeEndObject();
        }
    }
}
