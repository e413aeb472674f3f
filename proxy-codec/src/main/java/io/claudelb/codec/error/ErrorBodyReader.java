package io.claudelb.codec.error;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads the top-level {@code error} member of an upstream's error answer, streaming (jackson-core), for failure
 * classification and logs: {@code {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}}.
 * Also accepts the OpenAI-style {@code {"error":{"message":..,"type":..}}} and a bare {@code {"error":"text"}}.
 *
 * <p>Never throws on malformed input: upstream bytes are not trusted to be well-formed, and a tap must not break
 * the relay. Buffers are read without moving or releasing them.
 */
public final class ErrorBodyReader {
    /** The type given to an error whose payload names none (or cannot be read). */
    public static final String FALLBACK_TYPE = "api_error";

    private ErrorBodyReader() {
    }

    /**
     * Reads an {@code event: error} payload for a decision that needs an answer: never null, the type defaults to
     * {@value #FALLBACK_TYPE} and the message to an empty string.
     */
    public static ErrorInfo readEvent(byte[] data, int length) {
        ErrorInfo info = data == null ? null : read(data, length);
        String type = info == null || info.type() == null ? FALLBACK_TYPE : info.type();
        String message = info == null || info.message() == null ? "" : info.message();
        return new ErrorInfo(type, message);
    }

    /** Reads an error from JSON text (an SSE {@code data:} payload); null when it holds no error object. */
    public static ErrorInfo read(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser parser = JsonParsers.over(json)) {
            return read(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads an error from UTF-8 JSON in {@code data[0, length)}; null when it holds no error object. */
    public static ErrorInfo read(byte[] data, int length) {
        try (JsonParser parser = JsonParsers.over(data, 0, length)) {
            return read(parser);
        } catch (IOException e) {
            return null;
        }
    }

    /** Reads an error from a response body's readable bytes; null when it holds no error object. */
    public static ErrorInfo read(ByteBuf body) {
        Objects.requireNonNull(body, "body");
        if (!body.isReadable()) {
            return null;
        }
        try (JsonParser parser = JsonParsers.over(body)) {
            return read(parser);
        } catch (IOException e) {
            return null;
        }
    }

    private static ErrorInfo read(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        ErrorInfo found = null;
        try {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!"error".equals(name)) {
                    parser.skipChildren();
                } else if (value == JsonToken.START_OBJECT) {
                    found = readErrorObject(parser);
                } else if (value == JsonToken.VALUE_STRING) {
                    found = new ErrorInfo(null, parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
        } catch (IOException e) {
            // Malformed after the error object (a truncated body): what was read is still the best answer.
            return found;
        }
        return found;
    }

    private static ErrorInfo readErrorObject(JsonParser parser) throws IOException {
        String type = null;
        String message = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.VALUE_STRING && "type".equals(name)) {
                type = parser.getText();
            } else if (value == JsonToken.VALUE_STRING && "message".equals(name)) {
                message = parser.getText();
            } else {
                parser.skipChildren();
            }
        }
        return new ErrorInfo(type, message);
    }
}
