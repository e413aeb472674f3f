/**
 * Anthropic Messages &lt;-&gt; OpenAI Chat Completions translation for {@code openai}-kind upstreams: buffers in,
 * buffers out, no channels. The only place claude-lb re-serialises bodies (architecture principle 1's exception).
 *
 * <p>Entry points, in the order an exchange uses them:
 * <ul>
 *   <li>{@link io.claudelb.codec.openai.OpenAiRequestTranslator} — the client's request body into a Chat
 *       Completions body, for an {@link io.claudelb.codec.openai.OpenAiTarget}; a
 *       {@link io.claudelb.codec.openai.TranslationException} means answer 400.</li>
 *   <li>{@link io.claudelb.codec.openai.OpenAiResponseTranslator} — a non-streaming 2xx body into an Anthropic
 *       message, and an error status plus body into an Anthropic error body.</li>
 *   <li>{@link io.claudelb.codec.openai.OpenAiStreamTranslator} — one streaming response, chunk by chunk.</li>
 * </ul>
 *
 * <p>Ownership: every returned buffer belongs to the caller; inputs are never released or consumed. JSON is read
 * with jackson-core's streaming parser into a small immutable tree ({@code JsonValue}) and written with its
 * generator; there is no jackson-databind.
 */
package io.claudelb.codec.openai;
