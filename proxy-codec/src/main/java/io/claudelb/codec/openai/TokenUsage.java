package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/**
 * Token usage of one translated response, in Anthropic's terms, read from an OpenAI {@code usage} object.
 *
 * <p>OpenAI's {@code prompt_tokens} includes cached tokens; Anthropic's {@code input_tokens} does not. So
 * {@code cache_read_input_tokens} = {@code prompt_tokens_details.cached_tokens} (or DeepSeek's
 * {@code prompt_cache_hit_tokens}), {@code cache_creation_input_tokens} = OpenRouter's
 * {@code prompt_tokens_details.cache_write_tokens}, and {@code input_tokens} = prompt tokens minus both.
 *
 * @param inputTokens         uncached prompt tokens
 * @param cacheCreationTokens prompt tokens written to the provider's cache
 * @param cacheReadTokens     prompt tokens read from the provider's cache
 * @param outputTokens        completion tokens (reasoning included, as OpenAI counts them)
 */
record TokenUsage(long inputTokens, long cacheCreationTokens, long cacheReadTokens, long outputTokens) {

    /** Usage from an OpenAI {@code usage} object, or null when {@code usage} is not an object. */
    static TokenUsage fromOpenAi(JsonValue usage) {
        if (!(usage instanceof JsonValue.Obj)) {
            return null;
        }
        long prompt = Math.max(0, JsonValue.longOf(usage.get("prompt_tokens"), 0));
        long completion = Math.max(0, JsonValue.longOf(usage.get("completion_tokens"), 0));
        JsonValue details = usage.get("prompt_tokens_details");
        long cached = details == null ? 0 : Math.max(0, JsonValue.longOf(details.get("cached_tokens"), 0));
        if (cached == 0) {
            cached = Math.max(0, JsonValue.longOf(usage.get("prompt_cache_hit_tokens"), 0));
        }
        long written = details == null ? 0 : Math.max(0, JsonValue.longOf(details.get("cache_write_tokens"), 0));
        cached = Math.min(cached, prompt);
        written = Math.min(written, prompt - cached);
        return new TokenUsage(prompt - cached - written, written, cached, completion);
    }

    /** Writes the four Anthropic usage fields into the current object. */
    void writeFields(JsonGenerator gen) throws IOException {
        gen.writeNumberField("input_tokens", inputTokens);
        gen.writeNumberField("cache_creation_input_tokens", cacheCreationTokens);
        gen.writeNumberField("cache_read_input_tokens", cacheReadTokens);
        gen.writeNumberField("output_tokens", outputTokens);
    }
}
