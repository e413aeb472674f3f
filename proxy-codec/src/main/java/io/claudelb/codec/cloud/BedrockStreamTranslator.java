package io.claudelb.codec.cloud;

import com.fasterxml.jackson.core.Base64Variants;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

/**
 * Turns a Bedrock {@code invoke-with-response-stream} answer ({@code application/vnd.amazon.eventstream}) into the
 * Anthropic SSE bytes a client expects, incrementally: fed the response's chunks in order, it returns for each the
 * events it completed, {@code event: <type>\ndata: <json>\n\n}, where each {@code chunk} frame's payload
 * {@code {"bytes":"<base64>"}} is one Anthropic event. Frames may split across chunks anywhere: the AWS SDK's
 * {@link MessageDecoder} keeps the partial frame (at most one frame) and checks each prelude's and message's CRC32.
 *
 * <p>Usage: Bedrock's events carry Anthropic's {@code usage} as they are, so the tap downstream reads it as from any
 * Anthropic stream. When a {@code message_delta} comes without one, it is held back (one event) until the next frame:
 * if that is the {@code message_stop} whose {@code amazon-bedrock-invocationMetrics} state the token counts, they are
 * added to the delta as its {@code usage}. {@link #metrics()} keeps those figures either way.
 *
 * <p>An exception frame ({@code throttlingException}, {@code modelStreamErrorException}, ...), an error frame or
 * broken framing ends the translation: {@link #exception()} says what it was (the caller maps it to a failure kind
 * while nothing has reached the client), and the output gets one {@code event: error} of the matching Anthropic type
 * so a stream already under way ends as a protocol-valid one. Frames after it are ignored.
 *
 * <p>Buffers: chunks are read, never retained, moved or released; each returned buffer is new and owned by the
 * caller (empty when a chunk completed no event). Not thread-safe: one translator per stream, on its event loop.
 */
public final class BedrockStreamTranslator {
    private static final String MESSAGE_TYPE = ":message-type";
    private static final String EVENT_TYPE = ":event-type";
    private static final String EXCEPTION_TYPE = ":exception-type";
    private static final String METRICS = "amazon-bedrock-invocationMetrics";
    private static final byte[] EVENT = ascii("event: ");
    private static final byte[] DATA = ascii("\ndata: ");
    private static final byte[] END = ascii("\n\n");
    private static final byte[] USAGE_MARK = ascii("\"usage\"");

    private final ByteBufAllocator alloc;
    private final MessageDecoder decoder = new MessageDecoder(this::onMessage);
    /** The buffer the current call writes into; null outside a call. */
    private ByteBuf out;
    /** A message_delta without usage, waiting for the frame after it. */
    private byte[] heldDelta;
    private BedrockStreamException exception;
    private InvocationMetrics metrics;
    private boolean completed;
    private boolean errorWritten;
    private long events;

    public BedrockStreamTranslator(ByteBufAllocator alloc) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
    }

    /** The SSE bytes the frames completed by {@code chunk} stand for; a new buffer the caller owns. */
    public ByteBuf onChunk(ByteBuf chunk) {
        ByteBuf result = begin(chunk.readableBytes() * 2);
        try {
            if (exception == null) {
                for (ByteBuffer nio : chunk.nioBuffers()) {
                    decoder.feed(nio);
                    if (exception != null) {
                        break;
                    }
                }
            }
            return end();
        } catch (RuntimeException e) {
            // The SDK decoder's verdict on a bad prelude, CRC or header: nothing after it can be trusted.
            fail(new BedrockStreamException(BedrockStreamException.FRAMING, "the upstream's event stream is not "
                    + "valid framing: " + e.getMessage()));
            return end();
        } catch (Error e) {
            result.release();
            out = null;
            throw e;
        }
    }

    /** The stream's last chunk was read: what is still held (a message_delta) goes out. */
    public ByteBuf onEnd() {
        begin(heldDelta == null ? 0 : heldDelta.length + 64);
        flushHeld();
        return end();
    }

    /**
     * The stream failed after bytes reached the client: what is held, then one {@code event: error}, unless the
     * stream already ended ({@code message_stop}) or carried its own error event.
     */
    public ByteBuf onError(String errorType, String message) {
        begin(256);
        flushHeld();
        if (!completed && !errorWritten) {
            writeError(errorType, message);
        }
        return end();
    }

    /** What ended the stream early (an exception or error frame, broken framing), or null. */
    public BedrockStreamException exception() {
        return exception;
    }

    /** Bedrock's invocation metrics from the last chunk, or null when none came (yet). */
    public InvocationMetrics metrics() {
        return metrics;
    }

    /** Whether {@code message_stop} came through. */
    public boolean completed() {
        return completed;
    }

    /** Anthropic events written so far. */
    public long events() {
        return events;
    }

    // ---- frames ------------------------------------------------------------------------------------------------

    private void onMessage(Message message) {
        if (exception != null) {
            return;
        }
        String messageType = header(message, MESSAGE_TYPE);
        if ("exception".equals(messageType)) {
            String type = header(message, EXCEPTION_TYPE);
            fail(new BedrockStreamException(type == null ? "unknownException" : type,
                    BedrockErrors.messageOf(message.getPayload())));
        } else if ("error".equals(messageType)) {
            String code = header(message, ":error-code");
            String text = header(message, ":error-message");
            fail(new BedrockStreamException(code == null ? "unknownError" : code, text == null ? "" : text));
        } else if ("chunk".equals(header(message, EVENT_TYPE))) {
            byte[] event = eventBytes(message.getPayload());
            if (event != null) {
                onEvent(event);
            }
        }
        // Other event types (none are documented for this API) carry no Anthropic event.
    }

    private void onEvent(byte[] json) {
        String type = typeOf(json);
        if ("message_delta".equals(type) && indexOf(json, USAGE_MARK) < 0) {
            flushHeld();
            heldDelta = json;
            return;
        }
        if ("message_stop".equals(type)) {
            metrics = metricsOf(json);
            completed = true;
        }
        flushHeld();
        writeEvent(type, json);
    }

    private void flushHeld() {
        if (heldDelta == null) {
            return;
        }
        byte[] delta = heldDelta;
        heldDelta = null;
        writeEvent("message_delta", metrics == null ? delta : withUsage(delta, metrics));
    }

    private void fail(BedrockStreamException e) {
        exception = e;
        flushHeld();
        writeError(e.errorType(), e.message().isEmpty() ? "Bedrock: " + e.exceptionType() : e.message());
    }

    // ---- output ------------------------------------------------------------------------------------------------

    private ByteBuf begin(int capacity) {
        out = alloc.buffer(Math.max(64, capacity));
        return out;
    }

    private ByteBuf end() {
        ByteBuf result = out;
        out = null;
        return result;
    }

    private void writeEvent(String type, byte[] json) {
        events++;
        if (type != null) {
            out.writeBytes(EVENT).writeCharSequence(type, StandardCharsets.UTF_8);
            out.writeBytes(DATA);
        } else {
            // No type to name the event by: a bare data block, as SSE allows.
            out.writeBytes(DATA, 1, DATA.length - 1);
        }
        int start = out.writerIndex();
        out.writeBytes(json);
        // Whitespace between JSON tokens is all a raw CR or LF can be (inside strings they are escaped): one line.
        for (int i = start; i < out.writerIndex(); i++) {
            byte b = out.getByte(i);
            if (b == '\n' || b == '\r') {
                out.setByte(i, ' ');
            }
        }
        out.writeBytes(END);
        if ("error".equals(type)) {
            errorWritten = true;
        }
    }

    private void writeError(String errorType, String message) {
        ByteBuf event = AnthropicErrors.sseEvent(alloc, errorType, message);
        try {
            out.writeBytes(event);
        } finally {
            event.release();
        }
        errorWritten = true;
    }

    // ---- JSON --------------------------------------------------------------------------------------------------

    /** The decoded {@code bytes} of a chunk payload, or null when it has none. */
    private static byte[] eventBytes(byte[] payload) {
        try (JsonParser parser = JsonParsers.over(payload, 0, payload.length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("bytes".equals(name) && value == JsonToken.VALUE_STRING) {
                    return parser.getBinaryValue(Base64Variants.MIME_NO_LINEFEEDS);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The top-level {@code type} of an event's JSON (Anthropic puts it first), or null. */
    static String typeOf(byte[] json) {
        return JsonParsers.topLevelText(json, json.length, "type");
    }

    private static InvocationMetrics metricsOf(byte[] json) {
        if (indexOf(json, ascii(METRICS)) < 0) {
            return null;
        }
        try (JsonParser parser = JsonParsers.over(json, 0, json.length)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (METRICS.equals(name) && value == JsonToken.START_OBJECT) {
                    return readMetrics(parser);
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static InvocationMetrics readMetrics(JsonParser parser) throws IOException {
        long input = 0;
        long output = 0;
        long cacheRead = 0;
        long cacheWrite = 0;
        long latency = 0;
        long firstByte = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            long n = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : 0;
            switch (name) {
                case "inputTokenCount" -> input = n;
                case "outputTokenCount" -> output = n;
                case "cacheReadInputTokenCount" -> cacheRead = n;
                case "cacheWriteInputTokenCount" -> cacheWrite = n;
                case "invocationLatency" -> latency = n;
                case "firstByteLatency" -> firstByte = n;
                default -> parser.skipChildren();
            }
        }
        return new InvocationMetrics(input, output, cacheRead, cacheWrite, latency, firstByte);
    }

    /** {@code delta} with {@code "usage":{...}} from the metrics added as its last member. */
    static byte[] withUsage(byte[] delta, InvocationMetrics m) {
        int close = delta.length - 1;
        while (close > 0 && delta[close] != '}') {
            close--;
        }
        if (close <= 0) {
            return delta;
        }
        String usage = ",\"usage\":{\"input_tokens\":" + m.inputTokens() + ",\"output_tokens\":" + m.outputTokens()
                + ",\"cache_read_input_tokens\":" + m.cacheReadTokens() + ",\"cache_creation_input_tokens\":"
                + m.cacheWriteTokens() + "}";
        byte[] insert = ascii(usage);
        byte[] result = new byte[delta.length + insert.length];
        System.arraycopy(delta, 0, result, 0, close);
        System.arraycopy(insert, 0, result, close, insert.length);
        System.arraycopy(delta, close, result, close + insert.length, delta.length - close);
        return result;
    }

    private static String header(Message message, String name) {
        HeaderValue value = message.getHeaders().get(name);
        return value == null ? null : value.getString();
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= data.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
