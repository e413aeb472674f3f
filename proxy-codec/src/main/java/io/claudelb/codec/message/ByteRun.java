package io.claudelb.codec.message;

import java.util.Arrays;

/**
 * A growing run of bytes: the still-escaped contents of one JSON string joined from its deltas (a text block's
 * {@code text_delta}s, a thinking block's {@code thinking_delta}s, a tool call's {@code partial_json} parts).
 * Joining the escaped forms is exact: each delta is a complete JSON string, so its escapes end inside it, and a
 * surrogate pair escaped across two deltas pairs up again once the joined string is read.
 *
 * <p>A plain array rather than a {@code ByteBuf}: nothing to release when the caller drops an assembler half-way
 * (a follower that left), and no lock per append as in {@code ByteArrayOutputStream}.
 */
final class ByteRun {
    private static final int MIN_CAPACITY = 256;

    private byte[] bytes = new byte[0];
    private int length;

    /** Appends {@code src[from, to)}. */
    void append(byte[] src, int from, int to) {
        int n = to - from;
        if (n > bytes.length - length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + n, Math.max(MIN_CAPACITY, bytes.length * 2)));
        }
        System.arraycopy(src, from, bytes, length, n);
        length += n;
    }

    /** The bytes in {@code array()[0, length())}; the array itself, valid until the next append. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }
}
