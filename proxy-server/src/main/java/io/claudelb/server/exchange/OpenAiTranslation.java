package io.claudelb.server.exchange;

import io.claudelb.codec.openai.OpenAiRequestTranslator;
import io.claudelb.codec.openai.OpenAiResponseTranslator;
import io.claudelb.codec.openai.OpenAiStreamTranslator;
import io.claudelb.codec.openai.OpenAiTarget;
import io.claudelb.codec.openai.TranslationException;
import io.claudelb.core.config.OpenAiSettings;
import io.claudelb.core.route.Target;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI side of one attempt on an {@code openai}-kind upstream: the Chat Completions request body
 * ({@link #requestBody}) and the {@link ResponseTranslation} of its answer with proxy-codec's translators. A stream
 * goes through one {@link OpenAiStreamTranslator}, created at its first chunk; a successful JSON answer is collected
 * by the exchange and translated whole; an error body is rewritten as an Anthropic error, keeping the status.
 *
 * <p>Response headers: only {@code retry-after}, {@code retry-after-ms}, {@code x-ratelimit-*},
 * {@code x-request-id} and {@code date} of the upstream's pass (its cookies, organisation and processing details are
 * about the operator's account, not the caller's request); {@code content-type} becomes
 * {@code text/event-stream; charset=utf-8} for a stream and {@code application/json} otherwise, and
 * {@code content-length} goes because the translated body has another length.
 */
final class OpenAiTranslation implements ResponseTranslation {
    private static final Logger LOG = LoggerFactory.getLogger(OpenAiTranslation.class);
    private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream");
    private static final AsciiString EVENT_STREAM_UTF8 = AsciiString.cached("text/event-stream; charset=utf-8");
    private static final AsciiString RATE_LIMIT_PREFIX = AsciiString.cached("x-ratelimit-");
    private static final List<AsciiString> KEPT_HEADERS = List.of(HttpHeaderNames.RETRY_AFTER,
            AsciiString.cached("retry-after-ms"), AsciiString.cached("x-request-id"), HttpHeaderNames.DATE);
    /** A rough prompt size for {@code message_start} (one token per four body bytes); the real count follows. */
    private static final int BYTES_PER_TOKEN = 4;

    private final ByteBufAllocator alloc;
    private final String requestedModel;
    private final String messageId;
    private final int inputTokenEstimate;
    private final String requestId;
    private OpenAiStreamTranslator stream;

    /**
     * @param alloc            allocator for the translated bytes (the client channel's)
     * @param requestedModel   the model the client asked for, shown in every answer
     * @param requestId        claude-lb's request id: the stream's message id is {@code msg_<request id>}
     * @param requestBodyBytes size of the client's request body, for the input-token estimate
     */
    OpenAiTranslation(ByteBufAllocator alloc, String requestedModel, String requestId, int requestBodyBytes) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
        this.requestId = Objects.requireNonNull(requestId, "requestId");
        this.messageId = "msg_" + requestId;
        this.inputTokenEstimate = requestBodyBytes / BYTES_PER_TOKEN;
    }

    /**
     * The Chat Completions body for {@code anthropicBody} (not released) sent to {@code target}: its model, or the
     * client's when the target keeps it, in its upstream's dialect.
     *
     * @throws io.claudelb.codec.openai.TranslationException when the request cannot be expressed; answer 400
     */
    static ByteBuf requestBody(ByteBufAllocator alloc, ByteBuf anthropicBody, Target target, String requestedModel) {
        OpenAiSettings dialect = target.upstream().openai();
        String model = target.model() != null ? target.model() : requestedModel;
        if (model.isBlank()) {
            throw new TranslationException("model: must not be empty");
        }
        OpenAiTarget openAi = new OpenAiTarget(model, dialect.maxCompletionTokens(), dialect.reasoningParam(),
                dialect.userMaxLength());
        return OpenAiRequestTranslator.translate(alloc, anthropicBody, openAi);
    }

    @Override
    public boolean rewritesBodies() {
        return true;
    }

    @Override
    public void head(HttpHeaders headers) {
        String type = headers.get(HttpHeaderNames.CONTENT_TYPE);
        boolean eventStream = type != null
                && AsciiString.regionMatches(type, true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
        List<String> drop = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!kept(name)) {
                drop.add(name.toString());
            }
        }
        drop.forEach(headers::remove);
        headers.set(HttpHeaderNames.CONTENT_TYPE, eventStream ? EVENT_STREAM_UTF8 : HttpHeaderValues.APPLICATION_JSON);
        if (eventStream) {
            headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        }
    }

    private static boolean kept(CharSequence name) {
        if (AsciiString.regionMatches(name, true, 0, RATE_LIMIT_PREFIX, 0, RATE_LIMIT_PREFIX.length())) {
            return true;
        }
        for (AsciiString keep : KEPT_HEADERS) {
            if (keep.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public HttpContent content(HttpContent content) {
        try {
            OpenAiStreamTranslator translator = translator();
            ByteBuf out = translator.onChunk(content.content());
            if (content instanceof LastHttpContent) {
                return new DefaultLastHttpContent(concat(out, translator.onEnd()));
            }
            return new DefaultHttpContent(out);
        } finally {
            content.release();
        }
    }

    @Override
    public ByteBuf body(ByteBuf collected) {
        try {
            return OpenAiResponseTranslator.translate(alloc, collected, requestedModel,
                    warning -> LOG.warn("request {}: {}", requestId, warning));
        } catch (TranslationException e) {
            // The exchange fails the attempt over as a bad gateway; the reason is only here.
            LOG.warn("request {}: {}", requestId, e.getMessage());
            throw e;
        }
    }

    @Override
    public ByteBuf errorBody(int status, ByteBuf body) {
        try {
            return OpenAiResponseTranslator.translateError(alloc, status, body);
        } finally {
            body.release();
        }
    }

    @Override
    public ByteBuf failure(ByteBufAllocator ignored, String errorType, String message) {
        return translator().onError(errorType, message);
    }

    private OpenAiStreamTranslator translator() {
        if (stream == null) {
            stream = new OpenAiStreamTranslator(alloc, requestedModel, messageId, inputTokenEstimate);
        }
        return stream;
    }

    /** {@code first} then {@code second} as one buffer the caller owns; both are handed over. */
    private ByteBuf concat(ByteBuf first, ByteBuf second) {
        if (!second.isReadable()) {
            second.release();
            return first;
        }
        if (!first.isReadable()) {
            first.release();
            return second;
        }
        return alloc.compositeBuffer(2).addComponents(true, first, second);
    }
}
