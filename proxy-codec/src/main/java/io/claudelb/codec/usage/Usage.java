package io.claudelb.codec.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Objects;

/**
 * Token usage and stop reason of one Messages response, accumulated from what passes through the relay: the
 * {@code message_start} and {@code message_delta} SSE payloads of a stream, or a whole non-streaming JSON body.
 * Read with jackson-core streaming; nothing else of the response is decoded.
 *
 * <p>Counts are replaced, never added: {@code message_delta}'s usage is cumulative. {@code message_start} carries
 * input and cache tokens; some Anthropic-compatible backends (re)state them in {@code message_delta}, so any count
 * present in a later payload wins. JSON {@code null} counts are ignored. A count never reported reads 0
 * ({@link #reported()} tells whether any was).
 *
 * <p>Malformed payloads are ignored (the apply methods return false): usage is bookkeeping and must never break a
 * relay. Mutable and not thread-safe: one instance per exchange, on its event loop.
 */
public final class Usage {
    private long inputTokens;
    private long outputTokens;
    private long cacheCreationInputTokens;
    private long cacheReadInputTokens;
    /** The {@code cache_creation} breakdown by TTL; -1 until reported. */
    private long cacheWrite5m = -1;
    private long cacheWrite1h = -1;
    private String stopReason;
    private String model;
    private boolean reported;

    /**
     * Applies a {@code message_start} payload, {@code {"type":"message_start","message":{"model":..,"usage":{..}}}},
     * or a {@code message_delta} payload,
     * {@code {"type":"message_delta","delta":{"stop_reason":..},"usage":{"output_tokens":..}}}: the UTF-8 JSON in
     * {@code data[0, length)}, read in place.
     *
     * @return false when the payload was null or not well-formed JSON (whatever was read before the fault is kept)
     */
    public boolean apply(byte[] data, int length) {
        if (data == null) {
            return false;
        }
        try (JsonParser parser = JsonParsers.over(data, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            readObject(parser);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Reads a non-streaming response body (a Message object: top-level {@code model}, {@code stop_reason},
     * {@code usage}) without moving or releasing it. A malformed body yields what was read before the fault.
     */
    public static Usage fromMessageJson(ByteBuf body) {
        Objects.requireNonNull(body, "body");
        Usage usage = new Usage();
        if (!body.isReadable()) {
            return usage;
        }
        try (JsonParser parser = JsonParsers.over(body)) {
            if (parser.nextToken() == JsonToken.START_OBJECT) {
                usage.readObject(parser);
            }
        } catch (IOException e) {
            // Truncated or malformed upstream body: keep whatever was read.
            return usage;
        }
        return usage;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long cacheCreationInputTokens() {
        return cacheCreationInputTokens;
    }

    public long cacheReadInputTokens() {
        return cacheReadInputTokens;
    }

    /**
     * Cache writes with the 5-minute TTL: {@code usage.cache_creation.ephemeral_5m_input_tokens}, or, when the
     * answer gave no breakdown, every cache write (5 minutes is the default TTL).
     */
    public long cacheWrite5mTokens() {
        if (cacheWrite5m < 0 && cacheWrite1h < 0) {
            return cacheCreationInputTokens;
        }
        return Math.max(0, cacheWrite5m);
    }

    /** Cache writes with the 1-hour TTL: {@code usage.cache_creation.ephemeral_1h_input_tokens}, else 0. */
    public long cacheWrite1hTokens() {
        return Math.max(0, cacheWrite1h);
    }

    /** The last non-null {@code stop_reason} seen, or null. */
    public String stopReason() {
        return stopReason;
    }

    /** The model the upstream said it used ({@code message.model}), or null. */
    public String model() {
        return model;
    }

    /** Whether any token count was reported. */
    public boolean reported() {
        return reported;
    }

    @Override
    public String toString() {
        return "Usage[input=" + inputTokens + ", output=" + outputTokens + ", cacheCreation="
                + cacheCreationInputTokens + " (5m=" + cacheWrite5mTokens() + ", 1h=" + cacheWrite1hTokens() + ")"
                + ", cacheRead=" + cacheReadInputTokens + ", stopReason=" + stopReason
                + ", model=" + model + "]";
    }

    /**
     * Reads an object's members (the parser is just past its START_OBJECT): {@code usage}, {@code stop_reason} and
     * {@code model}, descending into {@code message} (message_start) and {@code delta} (message_delta), so one
     * walk serves all three payload shapes. Content arrays and everything else are skipped unread.
     */
    private void readObject(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT) {
                switch (name) {
                    case "usage" -> readUsage(parser);
                    case "message", "delta" -> readObject(parser);
                    default -> parser.skipChildren();
                }
            } else if (value == JsonToken.VALUE_STRING && "stop_reason".equals(name)) {
                stopReason = parser.getText();
            } else if (value == JsonToken.VALUE_STRING && "model".equals(name)) {
                model = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
    }

    private void readUsage(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT && "cache_creation".equals(name)) {
                readCacheCreation(parser);
                continue;
            }
            if (value != JsonToken.VALUE_NUMBER_INT) {
                // null, other nested objects (server_tool_use) and anything unexpected.
                parser.skipChildren();
                continue;
            }
            count(name, count(parser));
        }
    }

    /** {@code cache_creation: {ephemeral_5m_input_tokens, ephemeral_1h_input_tokens}}. */
    private void readCacheCreation(JsonParser parser) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value != JsonToken.VALUE_NUMBER_INT) {
                parser.skipChildren();
            } else {
                cacheCreation(name, count(parser));
            }
        }
    }

    /** One count of a {@code usage} object; unknown fields are ignored. */
    private void count(String name, long value) {
        switch (name) {
            case "input_tokens" -> inputTokens = value;
            case "output_tokens" -> outputTokens = value;
            case "cache_creation_input_tokens" -> cacheCreationInputTokens = value;
            case "cache_read_input_tokens" -> cacheReadInputTokens = value;
            default -> {
                return;
            }
        }
        reported = true;
    }

    /** One count of {@code usage.cache_creation}. */
    private void cacheCreation(String name, long value) {
        if ("ephemeral_5m_input_tokens".equals(name)) {
            cacheWrite5m = value;
        } else if ("ephemeral_1h_input_tokens".equals(name)) {
            cacheWrite1h = value;
        }
    }

    private static long count(JsonParser parser) throws IOException {
        return Math.max(0, parser.getLongValue());
    }
}
