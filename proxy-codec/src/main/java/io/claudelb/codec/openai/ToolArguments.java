package io.claudelb.codec.openai;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns an OpenAI tool call's {@code arguments} string into an Anthropic {@code tool_use.input} object.
 *
 * <p>Blank arguments are {@code {}}. Arguments that are not a JSON object (truncated by {@code max_tokens}, or a
 * model's malformed output) are kept, not dropped, as {@code {"_raw_arguments": "<raw>"}}: a valid object that
 * lets Claude Code's tool validation report the problem to the model, which can then retry.
 */
final class ToolArguments {
    static final String RAW_FIELD = "_raw_arguments";

    private ToolArguments() {
    }

    /** The parsed object, or null when {@code raw} is not blank and not a JSON object. */
    static JsonValue parseObject(String raw) {
        if (raw == null || raw.isBlank()) {
            return new JsonValue.Obj(Map.of());
        }
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        try {
            JsonValue value = JsonTree.parse(bytes, 0, bytes.length);
            return value instanceof JsonValue.Obj ? value : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The wrapper object that keeps unparsable arguments. */
    static JsonValue wrapRaw(String raw) {
        return new JsonValue.Obj(Map.of(RAW_FIELD, new JsonValue.Str(raw)));
    }
}
