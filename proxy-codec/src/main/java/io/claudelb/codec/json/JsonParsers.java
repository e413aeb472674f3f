package io.claudelb.codec.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The codec module's one jackson-core {@link JsonFactory} and the way every codec opens a streaming parser over
 * bytes it does not own.
 *
 * <p>Parsers over a {@link ByteBuf} read {@code [readerIndex, writerIndex)} without moving the buffer's indexes and
 * without retaining or releasing it, and report byte offsets ({@code getByteOffset()}) relative to the buffer's
 * {@code readerIndex}. A heap buffer is parsed straight from its backing array; any other buffer (direct, composite)
 * is streamed through a {@link ByteBufInputStream} over a duplicate, which copies only into jackson's recycled
 * read buffer.
 */
public final class JsonParsers {
    /** Thread-safe once configured; the symbol table for field names is shared by every parser it creates. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonParsers() {
    }

    /** The shared factory, for generators or parser sources not covered here. */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /** A byte-based parser over the readable bytes of {@code buf}; offsets are relative to its readerIndex. */
    public static JsonParser over(ByteBuf buf) throws IOException {
        Objects.requireNonNull(buf, "buf");
        if (buf.hasArray()) {
            return FACTORY.createParser(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
        }
        InputStream in = new ByteBufInputStream(buf.duplicate(), false);
        return FACTORY.createParser(in);
    }

    /** A byte-based parser over {@code length} bytes of {@code data} from {@code offset} (UTF-8 JSON). */
    public static JsonParser over(byte[] data, int offset, int length) throws IOException {
        return FACTORY.createParser(Objects.requireNonNull(data, "data"), offset, length);
    }

    /**
     * The string value of a top-level member of the JSON object in {@code data[0, length)} (an SSE event's
     * {@code type}), or null when there is none, it is not a string, or the bytes are not such an object.
     */
    public static String topLevelText(byte[] data, int length, String member) {
        if (data == null) {
            return null;
        }
        try (JsonParser parser = over(data, 0, length)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                com.fasterxml.jackson.core.JsonToken value = parser.nextToken();
                if (member.equals(name) && value == com.fasterxml.jackson.core.JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A parser over already-decoded text (a header value, a string inside JSON). */
    public static JsonParser over(String json) throws IOException {
        return FACTORY.createParser(Objects.requireNonNull(json, "json"));
    }
}
