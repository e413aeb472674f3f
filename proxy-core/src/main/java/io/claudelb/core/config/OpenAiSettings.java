package io.claudelb.core.config;

/**
 * The Chat Completions dialect of one {@code openai}-kind upstream ({@code upstreams[].openai}): what the request
 * translator must know to ask this provider correctly. Ignored for other kinds (the reader refuses the key there).
 *
 * @param maxCompletionTokens send {@code max_completion_tokens} instead of {@code max_tokens} (OpenAI's reasoning
 *                            models reject {@code max_tokens}); YAML {@code max_completion_tokens}
 * @param reasoningParam      where Anthropic {@code thinking} goes as a reasoning effort: a parameter name such as
 *                            {@code reasoning_effort} (OpenAI, vLLM) or {@code parent.child} such as
 *                            {@code reasoning.effort} (OpenRouter); null drops {@code thinking}; YAML
 *                            {@code reasoning_param}
 * @param userMaxLength       the provider's limit on {@code user}; {@code metadata.user_id} is cut to it, 0 never
 *                            sends it; YAML {@code user_max_length}
 */
public record OpenAiSettings(boolean maxCompletionTokens, String reasoningParam, int userMaxLength) {

    /** {@code max_tokens}, {@code thinking} dropped, {@code user} up to OpenAI's documented 128 characters. */
    public static final OpenAiSettings DEFAULTS = new OpenAiSettings(false, null, 128);

    public OpenAiSettings {
        if (reasoningParam != null) {
            reasoningParam = reasoningParam.trim();
            if (!isParameterPath(reasoningParam)) {
                throw new ConfigException("reasoning_param", "must be a parameter name such as reasoning_effort, "
                        + "or parent.child such as reasoning.effort; got '" + reasoningParam + "'");
            }
        }
        Checks.range("user_max_length", userMaxLength, 0, 1_000_000);
    }

    /** A name, or two names joined by one dot; names of letters, digits, '_' and '-'. */
    private static boolean isParameterPath(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length > 2) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || !part.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
