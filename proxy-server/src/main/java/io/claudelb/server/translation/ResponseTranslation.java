package io.claudelb.server.translation;

import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.codec.cloud.InvocationMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * How one attempt's upstream response becomes the Anthropic response the client gets; chosen per attempt by the
 * exchange's {@code AttemptRequest} from the target's upstream kind. {@link #IDENTITY} (anthropic and databricks
 * upstreams) relays bytes untouched; the exchange's {@code OpenAiTranslation} translates Chat Completions into
 * Messages; {@code cloud/BedrockTranslation} turns Bedrock's event stream into SSE and {@code cloud/VertexTranslation}
 * rewrites Google-shaped errors. Its own package, so that the exchange and the cloud kinds both depend on it and not
 * on each other.
 *
 * <p>The exchange keeps every decision about failover and health: it classifies by the upstream's status (or the
 * status the answer stands for, {@link #judgedStatus}), peeks at what {@link #content} returns (so an in-band error in
 * the translated stream still fails over) and frames what it writes. An implementation only changes bytes and headers
 * and reports what it saw ({@link #streamException}, {@link #metrics}). All methods run on the exchange's event loop.
 */
public interface ResponseTranslation {

    /** The relay as it is: every body passes through unchanged and without a copy ({@link Relayed}). */
    ResponseTranslation IDENTITY = new Relayed();

    /**
     * Whether a head of a content type other than {@code text/event-stream} announces a stream this translation turns
     * into one (Bedrock's {@code application/vnd.amazon.eventstream}): the exchange then peeks at and taps it like any
     * event stream instead of relaying it as a plain body. The exchange asks exactly once per upstream head, before
     * any {@link #content}, so an implementation may remember the answer (Bedrock relays a JSON answer untouched).
     */
    default boolean translatesStream(HttpResponse head) {
        return false;
    }

    /**
     * The status an error answer stands for when it is judged (failure kind, failover): the upstream's own, unless the
     * answer names a more precise one (Bedrock's {@code x-amzn-ErrorType}: a {@code ModelErrorException}'s 424 is the
     * model's failure, a 502). The client still sees the upstream's status.
     */
    default int judgedStatus(HttpResponse head) {
        return head.status().code();
    }

    /**
     * The exception the upstream reported inside its stream (a Bedrock exception frame, or broken framing), once
     * {@link #content} met one; null when there is none or the kind has no such thing. Checked when the peek finds an
     * error event: the exception says more than the translated {@code event: error} (a validation exception is the
     * client's error, a throttling one a cooldown).
     */
    default BedrockStreamException streamException() {
        return null;
    }

    /**
     * The upstream's own account of the tokens of a translated stream (Bedrock's
     * {@code amazon-bedrock-invocationMetrics}), or null: preferred over what the usage tap read from the events.
     */
    default InvocationMetrics metrics() {
        return null;
    }

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
