package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.BedrockErrors;
import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.codec.cloud.BedrockStreamTranslator;
import io.claudelb.codec.cloud.InvocationMetrics;
import io.claudelb.codec.http.HeaderRules;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Objects;

/**
 * How one attempt's Bedrock answer becomes the Anthropic answer the client gets, as a {@link ResponseTranslation}:
 * <ul>
 *   <li>a stream ({@link #isStream}: {@code application/vnd.amazon.eventstream}) goes chunk by chunk through one
 *       {@link BedrockStreamTranslator} into {@code text/event-stream}, never buffered, so the exchange peeks at and
 *       taps the translated events as at any Anthropic stream;</li>
 *   <li>a JSON answer is already an Anthropic message and passes untouched ({@link #rewritesBodies()} is false);</li>
 *   <li>an error body ({@code {"message":...}} with {@code x-amzn-ErrorType}) becomes an Anthropic error with the
 *       same status ({@link #errorBody}).</li>
 * </ul>
 * Response headers: of Bedrock's, only {@code x-amzn-requestid} (as {@code request-id} too, where clients look for
 * it), {@code x-amzn-bedrock-*} (token counts, latency), {@code retry-after} and {@code date} pass.
 * Not thread-safe: one per attempt, on its event loop.
 */
public final class BedrockTranslation implements ResponseTranslation {
    private static final AsciiString EVENT_STREAM_UTF8 = AsciiString.cached("text/event-stream; charset=utf-8");
    private static final AsciiString REQUEST_ID = AsciiString.cached("x-amzn-requestid");
    private static final AsciiString BEDROCK_PREFIX = AsciiString.cached("x-amzn-bedrock-");
    private static final List<AsciiString> KEPT = List.of(REQUEST_ID, HttpHeaderNames.RETRY_AFTER,
            HttpHeaderNames.DATE, HttpHeaderNames.CONTENT_LENGTH);

    private final ByteBufAllocator alloc;
    private BedrockStreamTranslator stream;
    private String errorTypeHeader;
    /** Set by {@link #translatesStream} from the upstream's head: a JSON answer's bytes pass untouched. */
    private boolean eventStream;

    /** @param alloc allocator for the translated bytes (the client channel's) */
    public BedrockTranslation(ByteBufAllocator alloc) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
    }

    /** Whether a Bedrock response head announces an event stream (the exchange treats it as a stream). */
    public static boolean isStream(HttpResponse head) {
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && AsciiString.regionMatches(type, true, 0, BedrockRequests.EVENT_STREAM, 0,
                BedrockRequests.EVENT_STREAM.length());
    }

    /**
     * An event stream is translated into SSE, so the exchange peeks at and taps it; anything else (a JSON message, an
     * error) is relayed byte for byte by {@link #content}. Remembered: the exchange asks once per head, before any
     * content.
     */
    @Override
    public boolean translatesStream(HttpResponse head) {
        eventStream = isStream(head);
        return eventStream;
    }

    /** The status Bedrock's {@code x-amzn-ErrorType} stands for ({@link CloudFailures#bedrockJudgedStatus}). */
    @Override
    public int judgedStatus(HttpResponse head) {
        return CloudFailures.bedrockJudgedStatus(head.status().code(),
                head.headers().get(BedrockErrors.ERROR_TYPE_HEADER));
    }

    /** A JSON answer is Anthropic's message already: nothing is collected. */
    @Override
    public boolean rewritesBodies() {
        return false;
    }

    /** Keeps Bedrock's useful headers; an event stream becomes {@code text/event-stream} of unknown length. */
    @Override
    public void head(HttpHeaders headers) {
        errorTypeHeader = headers.get(BedrockErrors.ERROR_TYPE_HEADER);
        String requestId = headers.get(REQUEST_ID);
        HeaderRules.retainOnly(headers, KEPT, List.of(BEDROCK_PREFIX));
        if (requestId != null) {
            headers.set("request-id", requestId);
        }
        if (eventStream) {
            headers.remove(HttpHeaderNames.CONTENT_LENGTH);
            headers.set(HttpHeaderNames.CONTENT_TYPE, EVENT_STREAM_UTF8);
            headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        } else {
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
    }

    /**
     * One piece of a stream, translated; takes {@code content}, returns what to relay (the caller owns it). A JSON
     * answer's pieces are returned as they are: they are not event-stream frames.
     */
    @Override
    public HttpContent content(HttpContent content) {
        if (!eventStream) {
            return content;
        }
        try {
            BedrockStreamTranslator t = translator();
            ByteBuf out = t.onChunk(content.content());
            if (content instanceof LastHttpContent) {
                ByteBuf tail = t.onEnd();
                return new DefaultLastHttpContent(tail.isReadable()
                        ? alloc.compositeBuffer(2).addComponents(true, out, tail) : release(tail, out));
            }
            return new DefaultHttpContent(out);
        } finally {
            content.release();
        }
    }

    private static ByteBuf release(ByteBuf drop, ByteBuf keep) {
        drop.release();
        return keep;
    }

    /** Never called ({@link #rewritesBodies()} is false): a JSON answer is relayed as it is. */
    @Override
    public ByteBuf body(ByteBuf collected) {
        return collected.retainedDuplicate();
    }

    /** An error answer's body in Anthropic's shape; takes ownership of {@code body}. */
    @Override
    public ByteBuf errorBody(int status, ByteBuf body) {
        try {
            return BedrockErrors.translateError(alloc, status, errorTypeHeader, body);
        } finally {
            body.release();
        }
    }

    /** What ends a stream the upstream broke after bytes reached the client (nothing if it had ended already). */
    @Override
    public ByteBuf failure(ByteBufAllocator ignored, String errorType, String message) {
        return translator().onError(errorType, message);
    }

    /** The exception frame (or broken framing) that ended the stream, or null: see {@link CloudFailures}. */
    @Override
    public BedrockStreamException streamException() {
        return stream == null ? null : stream.exception();
    }

    /** Bedrock's invocation metrics of the stream, or null. */
    @Override
    public InvocationMetrics metrics() {
        return stream == null ? null : stream.metrics();
    }

    /** The exception type of an HTTP error answer ({@code x-amzn-ErrorType}), once {@link #head} saw it. */
    public String errorTypeHeader() {
        return errorTypeHeader;
    }

    private BedrockStreamTranslator translator() {
        if (stream == null) {
            stream = new BedrockStreamTranslator(alloc);
        }
        return stream;
    }
}
