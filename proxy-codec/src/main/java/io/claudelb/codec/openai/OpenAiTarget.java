package io.claudelb.codec.openai;

import java.util.Objects;

/**
 * What the request translator needs to know about one {@code openai}-kind target: the model to ask for and the
 * upstream's dialect of Chat Completions.
 *
 * @param model                  model name sent upstream (the route target's model)
 * @param useMaxCompletionTokens send {@code max_completion_tokens} instead of {@code max_tokens} (OpenAI's reasoning
 *                               models reject {@code max_tokens})
 * @param reasoningEffortParam   name of the upstream's reasoning-effort parameter that Anthropic {@code thinking}
 *                               maps to, e.g. {@code reasoning_effort} (OpenAI, vLLM) or {@code reasoning.effort}
 *                               (OpenRouter: one dot nests the value in an object); null = drop {@code thinking}
 * @param userMaxLength          the upstream's limit on {@code user} in characters; {@code metadata.user_id} is
 *                               truncated to it; 0 = never send {@code user}
 */
public record OpenAiTarget(String model, boolean useMaxCompletionTokens, String reasoningEffortParam,
                           int userMaxLength) {

    /** OpenAI's documented limit on {@code user}. */
    public static final int DEFAULT_USER_MAX_LENGTH = 128;

    public OpenAiTarget {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("model must not be blank");
        }
        if (reasoningEffortParam != null) {
            int dot = reasoningEffortParam.indexOf('.');
            if (reasoningEffortParam.isBlank() || dot == 0 || dot == reasoningEffortParam.length() - 1
                    || reasoningEffortParam.indexOf('.', dot + 1) >= 0) {
                throw new IllegalArgumentException(
                        "reasoningEffortParam must be a name or parent.child, got '" + reasoningEffortParam + "'");
            }
        }
        if (userMaxLength < 0) {
            throw new IllegalArgumentException("userMaxLength must be >= 0, got " + userMaxLength);
        }
    }
}
