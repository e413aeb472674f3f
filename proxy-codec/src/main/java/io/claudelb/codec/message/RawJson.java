package io.claudelb.codec.message;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One JSON value exactly as the upstream sent it (UTF-8 bytes, no surrounding whitespace), kept by the
 * {@link StreamAssembler} for the members it passes through unchanged: ids, usage counts, citations, whole server
 * tool results and unknown blocks. Written back with {@code JsonGenerator.writeRawValue(SerializableString)}, so the
 * answer carries the upstream's bytes, not a re-encoding of them.
 *
 * <p>Immutable; the bytes are a private copy (the scanner's data array is only valid during its callback).
 */
final class RawJson implements SerializableString {
    static final RawJson EMPTY_OBJECT = new RawJson("{}".getBytes(StandardCharsets.US_ASCII));

    private final byte[] bytes;

    private RawJson(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code data[from, to)}, which must be one complete JSON value. */
    static RawJson copyOf(byte[] data, int from, int to) {
        Objects.checkFromToIndex(from, to, data.length);
        byte[] copy = new byte[to - from];
        System.arraycopy(data, from, copy, 0, copy.length);
        return new RawJson(copy);
    }

    /** JSON text already decoded to a string (a tool call's joined input), as UTF-8. */
    static RawJson ofText(String json) {
        return new RawJson(json.getBytes(StandardCharsets.UTF_8));
    }

    int length() {
        return bytes.length;
    }

    boolean isNull() {
        return bytes.length == 4 && bytes[0] == 'n';
    }

    boolean isString() {
        return bytes.length >= 2 && bytes[0] == '"';
    }

    boolean isArray() {
        return bytes.length >= 2 && bytes[0] == '[';
    }

    /** The bytes themselves, not a copy: for readers in this package that only read them. */
    byte[] bytes() {
        return bytes;
    }

    @Override
    public String getValue() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public int charLength() {
        return getValue().length();
    }

    @Override
    public char[] asQuotedChars() {
        return JsonStringEncoder.getInstance().quoteAsString(getValue());
    }

    /** The bytes themselves, not a copy: the generator only reads them. */
    @Override
    public byte[] asUnquotedUTF8() {
        return bytes;
    }

    @Override
    public byte[] asQuotedUTF8() {
        return JsonStringEncoder.getInstance().quoteAsUTF8(getValue());
    }

    @Override
    public int appendQuotedUTF8(byte[] buffer, int offset) {
        return append(asQuotedUTF8(), buffer, offset);
    }

    @Override
    public int appendQuoted(char[] buffer, int offset) {
        return append(asQuotedChars(), buffer, offset);
    }

    /** What the generator calls first: copies into its buffer if there is room, else -1. */
    @Override
    public int appendUnquotedUTF8(byte[] buffer, int offset) {
        return append(bytes, buffer, offset);
    }

    @Override
    public int appendUnquoted(char[] buffer, int offset) {
        return append(getValue().toCharArray(), buffer, offset);
    }

    @Override
    public int writeQuotedUTF8(OutputStream out) throws IOException {
        byte[] quoted = asQuotedUTF8();
        out.write(quoted);
        return quoted.length;
    }

    @Override
    public int writeUnquotedUTF8(OutputStream out) throws IOException {
        out.write(bytes);
        return bytes.length;
    }

    @Override
    public int putQuotedUTF8(ByteBuffer buffer) {
        return put(asQuotedUTF8(), buffer);
    }

    @Override
    public int putUnquotedUTF8(ByteBuffer buffer) {
        return put(bytes, buffer);
    }

    @Override
    public String toString() {
        return getValue();
    }

    private static int append(byte[] src, byte[] buffer, int offset) {
        if (src.length > buffer.length - offset) {
            return -1;
        }
        System.arraycopy(src, 0, buffer, offset, src.length);
        return src.length;
    }

    private static int append(char[] src, char[] buffer, int offset) {
        if (src.length > buffer.length - offset) {
            return -1;
        }
        System.arraycopy(src, 0, buffer, offset, src.length);
        return src.length;
    }

    private static int put(byte[] src, ByteBuffer buffer) {
        if (src.length > buffer.remaining()) {
            return -1;
        }
        buffer.put(src);
        return src.length;
    }
}
