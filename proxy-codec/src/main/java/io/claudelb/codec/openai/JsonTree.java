package io.claudelb.codec.openai;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link JsonValue} tree from bytes and writes trees and values back, with jackson-core streaming only.
 * Owns the one {@link JsonFactory} of the translation package.
 */
final class JsonTree {
    /**
     * Strings up to 64 MiB: a request may be 32 MB (Anthropic's limit) and one base64 image or one large tool input
     * can be most of it; jackson's default (20 M chars) would reject a legitimate request.
     */
    private static final int MAX_STRING_LENGTH = 64 << 20;

    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(MAX_STRING_LENGTH).build())
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            // Emoji and other non-BMP characters as 4-byte UTF-8, not as escaped surrogate pairs.
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .build();

    private JsonTree() {
    }

    /** Parses the readable bytes of {@code buf} (reader index untouched) as one JSON document. */
    static JsonValue parse(ByteBuf buf) throws IOException {
        if (buf.hasArray()) {
            return parse(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
        }
        try (InputStream in = new ByteBufInputStream(buf.duplicate())) {
            return parse(FACTORY.createParser(in));
        }
    }

    /** Parses {@code length} bytes of UTF-8 JSON from {@code bytes} at {@code offset}. */
    static JsonValue parse(byte[] bytes, int offset, int length) throws IOException {
        return parse(FACTORY.createParser(bytes, offset, length));
    }

    private static JsonValue parse(JsonParser parser) throws IOException {
        try (parser) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonParseException(parser, "empty document");
            }
            JsonValue value = read(parser, first);
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "trailing content after the JSON value");
            }
            return value;
        }
    }

    private static JsonValue read(JsonParser parser, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, JsonValue> fields = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String name = parser.currentName();
                    fields.put(name, read(parser, parser.nextToken()));
                }
                return new JsonValue.Obj(fields);
            }
            case START_ARRAY: {
                List<JsonValue> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    items.add(read(parser, t));
                }
                return new JsonValue.Arr(items);
            }
            case VALUE_STRING:
                return new JsonValue.Str(parser.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return new JsonValue.Num(parser.getText());
            case VALUE_TRUE:
                return new JsonValue.Bool(true);
            case VALUE_FALSE:
                return new JsonValue.Bool(false);
            case VALUE_NULL:
                return JsonValue.Null.INSTANCE;
            default:
                throw new JsonParseException(parser, "unexpected token " + token);
        }
    }

    /** Writes {@code value} at the generator's current position. */
    static void write(JsonGenerator gen, JsonValue value) throws IOException {
        if (value instanceof JsonValue.Obj obj) {
            gen.writeStartObject();
            for (Map.Entry<String, JsonValue> field : obj.fields().entrySet()) {
                gen.writeFieldName(field.getKey());
                write(gen, field.getValue());
            }
            gen.writeEndObject();
        } else if (value instanceof JsonValue.Arr arr) {
            gen.writeStartArray();
            for (JsonValue item : arr.items()) {
                write(gen, item);
            }
            gen.writeEndArray();
        } else if (value instanceof JsonValue.Str str) {
            gen.writeString(str.value());
        } else if (value instanceof JsonValue.Num num) {
            gen.writeNumber(num.source());
        } else if (value instanceof JsonValue.Bool bool) {
            gen.writeBoolean(bool.value());
        } else {
            gen.writeNull();
        }
    }

    /** Compact JSON text of {@code value} (used for OpenAI's string-typed tool-call {@code arguments}). */
    static String toJson(JsonValue value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            write(gen, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a StringWriter cannot fail", e);
        }
        return out.toString();
    }

    /** Writes one JSON document with a generator. */
    interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    /**
     * A new buffer from {@code alloc} holding the document {@code body} writes; released again if writing fails
     * (a {@link TranslationException} from the body propagates).
     */
    static ByteBuf write(ByteBufAllocator alloc, int initialCapacity, Body body) {
        ByteBuf out = alloc.buffer(initialCapacity);
        boolean done = false;
        try (JsonGenerator gen = generator(out)) {
            body.write(gen);
            done = true;
        } catch (IOException e) {
            throw new UncheckedIOException("writing to a buffer failed", e);
        } finally {
            if (!done) {
                out.release();
            }
        }
        return out;
    }

    /** A UTF-8 generator appending to {@code out}; closing it flushes but leaves the buffer to the caller. */
    static JsonGenerator generator(ByteBuf out) throws IOException {
        OutputStream stream = new ByteBufOutputStream(out);
        return FACTORY.createGenerator(stream, JsonEncoding.UTF8);
    }
}
