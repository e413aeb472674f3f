package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.codec.error.AnthropicErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Translates a non-streaming OpenAI Chat Completions response (and an OpenAI-style error body) into the Anthropic
 * Messages equivalent. Called by the server for {@code openai}-kind upstreams once the whole (bounded) JSON body
 * has arrived; streams go through {@link OpenAiStreamTranslator}.
 *
 * <p>The message: {@code id} = {@code msg_} + the OpenAI id; {@code model} = the model the client asked for;
 * content in this order: a {@code thinking} block for {@code reasoning_content} (or {@code reasoning}), a
 * {@code text} block for the content (or the {@code refusal}), one {@code tool_use} block per tool call (see
 * {@link ToolArguments} for arguments that do not parse); one empty text block if there is nothing else. Only the
 * first choice is read. {@code stop_reason} per {@link StopReasons}; usage per {@link TokenUsage}.
 *
 * <p>Thinking blocks carry an empty {@code signature}: there is no Anthropic signature to give, the SDKs require
 * the field, and it is enough for display. Claude Code resends the block in later turns; the request translator
 * drops thinking blocks, so an OpenAI upstream never sees it (an Anthropic upstream would reject it, which is why
 * a conversation should not move from an OpenAI route to an Anthropic one mid-thinking).
 */
public final class OpenAiResponseTranslator {

    private OpenAiResponseTranslator() {
    }

    /** As {@link #translate(ByteBufAllocator, ByteBuf, String, Consumer)}, dropping warnings. */
    public static ByteBuf translate(ByteBufAllocator alloc, ByteBuf openAiBody, String requestedModel) {
        return translate(alloc, openAiBody, requestedModel, warning -> { });
    }

    /**
     * Returns a new buffer (owned by the caller) holding the Anthropic message for {@code openAiBody}, which is
     * neither released nor consumed.
     *
     * @param warnings receives one line per recoverable problem (tool arguments kept as
     *                 {@value ToolArguments#RAW_FIELD}); lines name the tool and id, never body content
     * @throws TranslationException when the body is not a Chat Completion (no choices); answer 502 api_error
     */
    public static ByteBuf translate(ByteBufAllocator alloc, ByteBuf openAiBody, String requestedModel,
                                    Consumer<String> warnings) {
        Objects.requireNonNull(requestedModel, "requestedModel");
        Objects.requireNonNull(warnings, "warnings");
        JsonValue response;
        try {
            response = JsonTree.parse(openAiBody);
        } catch (IOException e) {
            throw new TranslationException("OpenAI-compatible upstream returned a body that is not valid JSON");
        }
        JsonValue choice = firstChoice(response);
        JsonValue message = choice.get("message");
        if (!(message instanceof JsonValue.Obj)) {
            throw new TranslationException("OpenAI-compatible upstream returned a choice without a message");
        }
        String openAiId = response.textOf("id");
        String messageId = "msg_" + (openAiId == null || openAiId.isEmpty()
                ? UUID.randomUUID().toString().replace("-", "") : openAiId);
        return JsonTree.write(alloc, Math.max(256, openAiBody.readableBytes() + 128),
                gen -> writeMessage(gen, messageId, requestedModel, choice, message, response.get("usage"), warnings));
    }

    /**
     * Returns a new buffer holding the Anthropic error body for an upstream HTTP error: type from
     * {@link #errorTypeForStatus(int)}, message from the provider (see {@link UpstreamErrors}). The input may be
     * any bytes (an HTML error page gives a generic message); it is neither released nor consumed.
     */
    public static ByteBuf translateError(ByteBufAllocator alloc, int status, ByteBuf openAiErrorBody) {
        JsonValue body;
        try {
            body = openAiErrorBody == null || !openAiErrorBody.isReadable() ? null : JsonTree.parse(openAiErrorBody);
        } catch (IOException e) {
            body = null;
        }
        String message = UpstreamErrors.message(body, "OpenAI-compatible upstream returned HTTP " + status);
        return errorBody(alloc, errorTypeForStatus(status), message);
    }

    /**
     * Anthropic error type for an upstream HTTP status: the project's one table,
     * {@link AnthropicErrors#typeForStatus}, so an OpenAI-compatible upstream's 504 reads as the API's would.
     */
    public static String errorTypeForStatus(int status) {
        return AnthropicErrors.typeForStatus(status);
    }

    private static ByteBuf errorBody(ByteBufAllocator alloc, String type, String message) {
        return JsonTree.write(alloc, 64 + message.length(), gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", "error");
            gen.writeObjectFieldStart("error");
            gen.writeStringField("type", type);
            gen.writeStringField("message", message);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }

    private static JsonValue firstChoice(JsonValue response) {
        if (response.get("choices") instanceof JsonValue.Arr choices && !choices.items().isEmpty()
                && choices.items().get(0) instanceof JsonValue.Obj choice) {
            return choice;
        }
        if (response.get("error") != null) {
            throw new TranslationException("OpenAI-compatible upstream returned an error: "
                    + UpstreamErrors.message(response, "no message"));
        }
        throw new TranslationException("OpenAI-compatible upstream returned a response without choices");
    }

    private static void writeMessage(JsonGenerator gen, String messageId, String model, JsonValue choice,
                                     JsonValue message, JsonValue usage, Consumer<String> warnings)
            throws IOException {
        gen.writeStartObject();
        gen.writeStringField("id", messageId);
        gen.writeStringField("type", "message");
        gen.writeStringField("role", "assistant");
        gen.writeStringField("model", model);
        gen.writeArrayFieldStart("content");
        boolean anyBlock = false;
        String reasoning = nonEmpty(message.textOf("reasoning_content"), message.textOf("reasoning"));
        if (reasoning != null) {
            gen.writeStartObject();
            gen.writeStringField("type", "thinking");
            gen.writeStringField("thinking", reasoning);
            gen.writeStringField("signature", "");
            gen.writeEndObject();
            anyBlock = true;
        }
        String answer = nonEmpty(contentText(message.get("content")), null);
        String refusal = nonEmpty(message.textOf("refusal"), null);
        boolean refused = answer == null && refusal != null;
        String text = refused ? refusal : answer;
        if (text != null) {
            writeTextBlock(gen, text);
            anyBlock = true;
        }
        List<JsonValue> calls = toolCalls(message);
        for (int i = 0; i < calls.size(); i++) {
            writeToolUse(gen, calls.get(i), messageId, i, warnings);
        }
        if (!anyBlock && calls.isEmpty()) {
            writeTextBlock(gen, "");
        }
        gen.writeEndArray();
        String stopReason = refused
                ? "refusal" : StopReasons.fromFinishReason(choice.textOf("finish_reason"), !calls.isEmpty());
        gen.writeStringField("stop_reason", stopReason);
        gen.writeNullField("stop_sequence");
        TokenUsage tokens = TokenUsage.fromOpenAi(usage);
        gen.writeObjectFieldStart("usage");
        (tokens == null ? new TokenUsage(0, 0, 0, 0) : tokens).writeFields(gen);
        gen.writeEndObject();
        gen.writeEndObject();
    }

    private static void writeTextBlock(JsonGenerator gen, String text) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("type", "text");
        gen.writeStringField("text", text);
        gen.writeEndObject();
    }

    private static void writeToolUse(JsonGenerator gen, JsonValue call, String messageId, int ordinal,
                                     Consumer<String> warnings) throws IOException {
        JsonValue function = call.get("function");
        String name = function == null ? null : function.textOf("name");
        String raw = function == null ? null : function.textOf("arguments");
        if (raw == null && function != null && function.get("arguments") instanceof JsonValue.Obj object) {
            raw = JsonTree.toJson(object);
        }
        String id = ToolCallIds.sanitize(call.textOf("id"));
        if (id == null) {
            id = ToolCallIds.generate(messageId, ordinal);
        }
        JsonValue input = ToolArguments.parseObject(raw);
        if (input == null) {
            input = ToolArguments.wrapRaw(raw);
            warnings.accept("tool call " + id + " (" + name + ") had arguments that are not a JSON object ("
                    + raw.length() + " chars); kept as " + ToolArguments.RAW_FIELD);
        }
        gen.writeStartObject();
        gen.writeStringField("type", "tool_use");
        gen.writeStringField("id", id);
        gen.writeStringField("name", name == null ? "" : name);
        gen.writeFieldName("input");
        JsonTree.write(gen, input);
        gen.writeEndObject();
    }

    /** The message's tool calls, plus the legacy single {@code function_call} as one more. */
    private static List<JsonValue> toolCalls(JsonValue message) {
        List<JsonValue> calls = new ArrayList<>();
        if (message.get("tool_calls") instanceof JsonValue.Arr arr) {
            for (JsonValue call : arr.items()) {
                if (call instanceof JsonValue.Obj) {
                    calls.add(call);
                }
            }
        }
        JsonValue legacy = message.get("function_call");
        if (legacy instanceof JsonValue.Obj) {
            calls.add(new JsonValue.Obj(Map.of("function", legacy)));
        }
        return calls;
    }

    /** A string content, or the text parts of an array content concatenated. */
    private static String contentText(JsonValue content) {
        if (content instanceof JsonValue.Arr arr) {
            StringBuilder text = new StringBuilder();
            for (JsonValue part : arr.items()) {
                String piece = part.textOf("text");
                if (piece != null && "text".equals(part.textOf("type"))) {
                    text.append(piece);
                }
            }
            return text.toString();
        }
        return content == null ? null : content.text();
    }

    private static String nonEmpty(String first, String second) {
        if (first != null && !first.isEmpty()) {
            return first;
        }
        return second != null && !second.isEmpty() ? second : null;
    }
}
