package io.claudelb.codec.openai;

/**
 * Maps an OpenAI {@code finish_reason} to an Anthropic {@code stop_reason} (seed-behaviour.md §7.4 with its REC):
 * {@code stop} → {@code end_turn}, {@code length} → {@code max_tokens}, {@code tool_calls} and
 * {@code function_call} → {@code tool_use}, {@code content_filter} → {@code refusal} (Anthropic's reason for a
 * response its classifiers stopped), null or anything else → {@code end_turn}.
 *
 * <p>When the response does carry tool calls, {@code end_turn} becomes {@code tool_use}: several compatible
 * upstreams answer {@code stop} even after emitting tool calls, and Claude Code only runs tools after
 * {@code tool_use}.
 */
final class StopReasons {

    private StopReasons() {
    }

    static String fromFinishReason(String finishReason, boolean hasToolUse) {
        String mapped;
        if (finishReason == null) {
            mapped = "end_turn";
        } else {
            switch (finishReason) {
                case "length":
                    mapped = "max_tokens";
                    break;
                case "tool_calls":
                case "function_call":
                    mapped = "tool_use";
                    break;
                case "content_filter":
                    mapped = "refusal";
                    break;
                default:
                    mapped = "end_turn";
                    break;
            }
        }
        return hasToolUse && "end_turn".equals(mapped) ? "tool_use" : mapped;
    }
}
