package io.claudelb.codec.openai;

import io.claudelb.codec.sse.SseListener;
import io.claudelb.codec.sse.SseScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Translates one OpenAI Chat Completions stream ({@code stream: true}) into an Anthropic Messages stream,
 * incrementally: the server feeds each body buffer as it arrives and writes what comes back. One instance per
 * response, used from one thread (the exchange's event loop); nothing is buffered beyond what an unfinished SSE
 * event or an interleaved tool call needs.
 *
 * <p>Output, in order: {@code message_start} (with the caller's input-token estimate, or the upstream's count if
 * its first chunk already carries usage) and {@code ping} on the first chunk; content blocks per
 * {@link ContentBlockSequencer}; at the upstream's finish the open block is closed; {@code message_delta}
 * (stop reason per {@link StopReasons}, usage per {@link TokenUsage} or an output estimate of one token per four
 * characters when the upstream sent none) and {@code message_stop} once the usage chunk that
 * {@code stream_options.include_usage} asks for has arrived, or at {@code [DONE]}, or at {@link #onEnd()}.
 *
 * <p>Failures become exactly one {@code event: error} and nothing after it: an {@code error} object in a chunk
 * (OpenRouter's mid-stream errors; type from its numeric code, message per {@link UpstreamErrors}),
 * {@code finish_reason: "error"}, a malformed chunk, an oversized event, the upstream closing before it finished,
 * or the caller's {@link #onError(String, String)}. Blocks left open stay open, as on Anthropic's own errors.
 *
 * <p>Every method returns a buffer the caller owns (possibly empty) and never releases its input.
 */
public final class OpenAiStreamTranslator {
    /** Bound on one upstream SSE event (one chunk's JSON): a single-chunk tool call can carry a whole file. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 16 << 20;

    private static final int CHARS_PER_TOKEN = 4;

    private final ByteBufAllocator alloc;
    private final String requestedModel;
    private final String messageId;
    private final int inputTokenEstimate;
    private final SseScanner events;
    private final int maxEventBytes;
    private final ContentBlockSequencer blocks;

    private ByteBuf out;
    private AnthropicEventWriter writer;
    private boolean started;
    private boolean finished;
    private boolean terminated;
    private String finishReason;
    private TokenUsage usage;

    /**
     * @param requestedModel     model name the client asked for (shown in {@code message_start})
     * @param messageId          Anthropic message id to announce, e.g. {@code msg_<request id>}; also seeds
     *                           generated tool-use ids
     * @param inputTokenEstimate prompt size estimate for {@code message_start}; the real count follows in
     *                           {@code message_delta} when the upstream reports usage
     */
    public OpenAiStreamTranslator(ByteBufAllocator alloc, String requestedModel, String messageId,
                                  int inputTokenEstimate) {
        this(alloc, requestedModel, messageId, inputTokenEstimate, DEFAULT_MAX_EVENT_BYTES);
    }

    OpenAiStreamTranslator(ByteBufAllocator alloc, String requestedModel, String messageId, int inputTokenEstimate,
                           int maxEventBytes) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        this.requestedModel = Objects.requireNonNull(requestedModel, "requestedModel");
        this.messageId = Objects.requireNonNull(messageId, "messageId");
        this.inputTokenEstimate = Math.max(0, inputTokenEstimate);
        this.maxEventBytes = maxEventBytes;
        this.events = new SseScanner(new SseListener() {
            @Override
            public boolean wantsData(String eventName) {
                return true;
            }

            @Override
            public void onEvent(String eventName, byte[] data, int length) {
                OpenAiStreamTranslator.this.onEvent(eventName, data, length);
            }
        }, maxEventBytes);
        this.blocks = new ContentBlockSequencer(messageId);
    }

    /** Feeds the next upstream body bytes (any split); returns the Anthropic SSE bytes they complete. */
    public ByteBuf onChunk(ByteBuf openAiSseBytes) {
        if (terminated || !openAiSseBytes.isReadable()) {
            return Unpooled.EMPTY_BUFFER;
        }
        return produce(() -> {
            events.scan(openAiSseBytes);
            if (events.overflowing() && !terminated) {
                throw oversized();
            }
        });
    }

    /**
     * The upstream body ended. Completes the message if the upstream finished (even without {@code [DONE]}),
     * otherwise reports the truncated stream as an {@code api_error}.
     */
    public ByteBuf onEnd() {
        if (terminated) {
            return Unpooled.EMPTY_BUFFER;
        }
        return produce(() -> {
            events.finish();
            if (!terminated) {
                if (finished) {
                    complete();
                } else {
                    fail("api_error", "OpenAI-compatible upstream closed the stream before it finished");
                }
            }
        });
    }

    /** Ends the stream with one {@code event: error} (e.g. an idle timeout); nothing is emitted after it. */
    public ByteBuf onError(String errorType, String message) {
        Objects.requireNonNull(errorType, "errorType");
        Objects.requireNonNull(message, "message");
        if (terminated) {
            return Unpooled.EMPTY_BUFFER;
        }
        return produce(() -> fail(errorType, message));
    }

    /** True once {@code message_stop} or {@code event: error} was produced. */
    public boolean isTerminated() {
        return terminated;
    }

    private TranslationException oversized() {
        return new TranslationException("OpenAI-compatible upstream sent a stream event larger than " + maxEventBytes
                + " bytes");
    }

    private ByteBuf produce(Runnable work) {
        try {
            try {
                work.run();
            } catch (TranslationException e) {
                fail("api_error", e.getMessage());
            }
            if (writer != null) {
                writer.close();
            }
        } catch (IOException | RuntimeException e) {
            discardOutput();
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw (RuntimeException) e;
        }
        ByteBuf result = out == null ? Unpooled.EMPTY_BUFFER : out;
        out = null;
        writer = null;
        return result;
    }

    private void onEvent(String eventName, byte[] data, int length) {
        if (terminated) {
            return;
        }
        if (data == null) {
            throw oversized();
        }
        try {
            if (isDone(data, length)) {
                complete();
                return;
            }
            JsonValue chunk;
            try {
                chunk = JsonTree.parse(data, 0, length);
            } catch (IOException e) {
                fail("api_error", "OpenAI-compatible upstream sent a malformed stream chunk");
                return;
            }
            onChunkJson(eventName, chunk);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void onChunkJson(String eventName, JsonValue chunk) throws IOException {
        JsonValue error = chunk.get("error");
        if ("error".equals(eventName) || error != null && error != JsonValue.Null.INSTANCE) {
            fail(UpstreamErrors.typeOf(error),
                    UpstreamErrors.message(chunk, "OpenAI-compatible upstream reported an error mid-stream"));
            return;
        }
        TokenUsage chunkUsage = TokenUsage.fromOpenAi(chunk.get("usage"));
        if (chunkUsage != null) {
            usage = chunkUsage;
        }
        ensureStarted();
        JsonValue choice = firstChoice(chunk.get("choices"));
        if (choice != null && !finished) {
            JsonValue delta = choice.get("delta");
            if (delta != null) {
                applyDelta(delta);
            }
            String reason = choice.textOf("finish_reason");
            if ("error".equals(reason)) {
                fail("api_error", "OpenAI-compatible upstream ended the response with finish_reason 'error'");
                return;
            }
            if (reason != null) {
                finished = true;
                finishReason = reason;
                blocks.closeAll(writer());
            }
        }
        // Usage that arrives with or after the finish is final; earlier usage is kept only as a fallback.
        if (finished && chunkUsage != null) {
            complete();
        }
    }

    private void applyDelta(JsonValue delta) throws IOException {
        String reasoning = delta.textOf("reasoning_content");
        blocks.thinking(writer(), reasoning != null && !reasoning.isEmpty() ? reasoning : delta.textOf("reasoning"));
        blocks.text(writer(), delta.textOf("content"));
        blocks.text(writer(), delta.textOf("refusal"));
        if (delta.get("tool_calls") instanceof JsonValue.Arr toolCalls) {
            for (JsonValue entry : toolCalls.items()) {
                blocks.toolCall(writer(), entry);
            }
        }
    }

    private void ensureStarted() throws IOException {
        if (!started) {
            started = true;
            TokenUsage initial = usage == null ? new TokenUsage(inputTokenEstimate, 0, 0, 0)
                    : new TokenUsage(usage.inputTokens(), usage.cacheCreationTokens(), usage.cacheReadTokens(), 0);
            writer().messageStart(messageId, requestedModel, initial);
            writer().ping();
        }
    }

    private void complete() {
        if (terminated) {
            return;
        }
        try {
            ensureStarted();
            blocks.closeAll(writer());
            String stopReason = StopReasons.fromFinishReason(finishReason, blocks.anyToolBlock());
            long estimate = (blocks.outputChars() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
            writer().messageDelta(stopReason, usage, estimate);
            writer().messageStop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        terminated = true;
    }

    private void fail(String type, String message) {
        if (terminated) {
            return;
        }
        try {
            writer().error(type, message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        terminated = true;
    }

    private AnthropicEventWriter writer() throws IOException {
        if (writer == null) {
            out = alloc.buffer(512);
            writer = new AnthropicEventWriter(out);
        }
        return writer;
    }

    private void discardOutput() {
        if (out != null) {
            out.release();
        }
        out = null;
        writer = null;
    }

    /** The choice with index 0 (a choice without an index counts as 0); null when there is none. */
    private static JsonValue firstChoice(JsonValue choices) {
        if (!(choices instanceof JsonValue.Arr arr) || arr.items().isEmpty()) {
            return null;
        }
        for (JsonValue choice : arr.items()) {
            if (JsonValue.longOf(choice.get("index"), 0) == 0) {
                return choice;
            }
        }
        return null;
    }

    private static boolean isDone(byte[] data, int length) {
        int start = 0;
        int end = length;
        while (start < end && data[start] <= ' ') {
            start++;
        }
        while (end > start && data[end - 1] <= ' ') {
            end--;
        }
        return end - start == 6 && data[start] == '[' && data[start + 1] == 'D' && data[start + 2] == 'O'
                && data[start + 3] == 'N' && data[start + 4] == 'E' && data[start + 5] == ']';
    }
}
