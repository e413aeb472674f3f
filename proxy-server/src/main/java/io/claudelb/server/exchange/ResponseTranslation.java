package io.claudelb.server.exchange;

import io.claudelb.codec.error.AnthropicErrors;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * How one attempt's upstream response becomes the Anthropic response the client gets; chosen per attempt by
 * {@link AttemptRequest} from the target's upstream kind. {@link #IDENTITY} (anthropic and databricks upstreams) relays
 * bytes untouched; {@link OpenAiTranslation} (openai upstreams) translates Chat Completions into Messages.
 *
 * <p>The exchange keeps every decision about failover and health: it classifies by the upstream's status, peeks at
 * what {@link #content} returns (so an in-band error in the translated stream still fails over) and frames what it
 * writes. An implementation only changes bytes and headers. All methods run on the exchange's event loop.
 */
interface ResponseTranslation {

    /** The relay as it is: every body passes through unchanged and without a copy. */
    ResponseTranslation IDENTITY = new ResponseTranslation() {
        @Override
        public boolean rewritesBodies() {
            return false;
        }

        @Override
        public void head(HttpHeaders headers) {
        }

        @Override
        public HttpContent content(HttpContent content) {
            return content;
        }

        @Override
        public ByteBuf body(ByteBuf collected) {
            return collected.retainedDuplicate();
        }

        @Override
        public ByteBuf errorBody(int status, ByteBuf body) {
            return body;
        }

        @Override
        public ByteBuf failure(ByteBufAllocator alloc, String errorType, String message) {
            return AnthropicErrors.sseEvent(alloc, errorType, message);
        }
    };

    /**
     * True when bodies are rewritten: a successful answer that is not an event stream must then be collected whole
     * and passed to {@link #body} before anything is sent (its translated length is known only then), and an error
     * body too large to judge cannot be relayed as it is.
     */
    boolean rewritesBodies();

    /**
     * Adjusts the client's copy of the upstream's response headers (hop-by-hop headers are handled by the caller).
     * A translation that changes the body removes {@code content-length}; the caller then frames the body itself.
     */
    void head(HttpHeaders headers);

    /**
     * One piece of a successful body, in order, the last one a {@code LastHttpContent}. Takes ownership of
     * {@code content} and returns what to relay (the same object, or a new one of the same kind) which the caller
     * owns.
     */
    HttpContent content(HttpContent content);

    /**
     * A collected successful body (see {@link #rewritesBodies()}), translated into a new buffer the caller owns;
     * {@code collected} is neither released nor consumed.
     *
     * @throws io.claudelb.codec.openai.TranslationException when the upstream's answer cannot be translated
     */
    ByteBuf body(ByteBuf collected);

    /** An error answer's (bounded) body as the client gets it; takes ownership of {@code body}. */
    ByteBuf errorBody(int status, ByteBuf body);

    /**
     * The bytes that end a stream the upstream broke after bytes reached the client: one {@code event: error}, or
     * nothing when the translated stream has already ended (its {@code message_stop} or error was sent). A
     * translation with an allocator of its own may ignore {@code alloc}.
     */
    ByteBuf failure(ByteBufAllocator alloc, String errorType, String message);
}
