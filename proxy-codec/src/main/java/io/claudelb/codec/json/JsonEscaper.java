package io.claudelb.codec.json;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Writes a Java string as a quoted, escaped JSON string in UTF-8 straight into a {@link ByteBuf}: the one place the
 * codecs produce JSON string tokens by hand (rewritten model names, error messages), so escaping rules live once.
 *
 * <p>Escapes {@code "} and {@code \}, uses the short forms for {@code \b \f \n \r \t} and {@code \}{@code u00XX}
 * for the other control characters; everything else is written as UTF-8. An unpaired surrogate is written as
 * {@code ?} (Netty's UTF-8 encoder), so the output is always valid UTF-8.
 */
public final class JsonEscaper {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private JsonEscaper() {
    }

    /** Appends {@code "value"} (quotes included) at {@code out}'s writerIndex. */
    public static void writeQuoted(ByteBuf out, CharSequence value) {
        out.writeByte('"');
        int runStart = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (i > runStart) {
                writeRun(out, value, runStart, i);
            }
            writeEscape(out, c);
            runStart = i + 1;
        }
        if (length > runStart) {
            writeRun(out, value, runStart, length);
        }
        out.writeByte('"');
    }

    /** Exactly the number of bytes {@link #writeQuoted} writes for {@code value}, to size a buffer once. */
    public static int quotedLength(CharSequence value) {
        int extra = 0;
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t') {
                extra += 1;
            } else if (c < 0x20) {
                extra += 5;
            }
        }
        return 2 + ByteBufUtil.utf8Bytes(value) + extra;
    }

    /**
     * Reserves exactly the run's UTF-8 size: plain {@code writeUtf8} reserves the 3-bytes-per-char worst case and
     * would grow (copy) a buffer that was sized exactly with {@link #quotedLength}.
     */
    private static void writeRun(ByteBuf out, CharSequence value, int start, int end) {
        ByteBufUtil.reserveAndWriteUtf8(out, value, start, end, ByteBufUtil.utf8Bytes(value, start, end));
    }

    private static void writeEscape(ByteBuf out, char c) {
        out.writeByte('\\');
        switch (c) {
            case '"' -> out.writeByte('"');
            case '\\' -> out.writeByte('\\');
            case '\b' -> out.writeByte('b');
            case '\f' -> out.writeByte('f');
            case '\n' -> out.writeByte('n');
            case '\r' -> out.writeByte('r');
            case '\t' -> out.writeByte('t');
            default -> {
                out.writeByte('u').writeByte('0').writeByte('0');
                out.writeByte(HEX[(c >> 4) & 0xF]).writeByte(HEX[c & 0xF]);
            }
        }
    }
}
