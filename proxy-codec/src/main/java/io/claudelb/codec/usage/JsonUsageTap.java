package io.claudelb.codec.usage;

import io.netty.buffer.ByteBuf;

/**
 * The tap of a relayed non-streaming answer: the {@code usage} of a Messages JSON body, found without parsing the
 * body. Anthropic (and Databricks, which mirrors it) write {@code usage} as the Message's last member, after the
 * content, so the tap keeps a copy of only the last {@value #TAIL} bytes that passed (a fixed, small buffer; the
 * body itself is never aggregated) and, when asked, reads the last {@code "usage": {...}} member in them with
 * {@link Usage}'s parser. Whatever the size of the answer, that costs a copy of at most {@value #TAIL} bytes per
 * chunk and one small parse, where tokenizing the whole body (content, thinking, signatures) cost about half a
 * nanosecond per byte plus microseconds per answer (benchmarks/results).
 *
 * <p>A {@code "usage"} key inside the content (a tool input, say) is skipped unless it holds token counts, and
 * earlier occurrences are tried in turn. A backend that writes {@code usage} first, before a long content, reports
 * nothing here. Never throws: usage is bookkeeping and must never break a relay. One per exchange, on its loop.
 */
public final class JsonUsageTap {
    /** How much of the body's end is kept: a usage object is a few hundred bytes. */
    static final int TAIL = 4096;
    private static final byte[] KEY = {'"', 'u', 's', 'a', 'g', 'e', '"'};

    private byte[] tail;
    private int length;
    private Usage usage;

    /** A tap over a body available whole (a translated answer): read with {@link Usage#fromMessageJson}. */
    public static JsonUsageTap ofWhole(ByteBuf body) {
        JsonUsageTap tap = new JsonUsageTap();
        tap.usage = Usage.fromMessageJson(body);
        return tap;
    }

    /** Notes the readable bytes of {@code chunk} (its reader index is not moved). */
    public void feed(ByteBuf chunk) {
        int n = chunk.readableBytes();
        if (n == 0 || usage != null) {
            return;
        }
        if (tail == null) {
            tail = new byte[TAIL];
        }
        int from = chunk.readerIndex();
        if (n >= TAIL) {
            chunk.getBytes(from + n - TAIL, tail, 0, TAIL);
            length = TAIL;
            return;
        }
        int keep = Math.min(length, TAIL - n);
        if (keep < length) {
            System.arraycopy(tail, length - keep, tail, 0, keep);
        }
        chunk.getBytes(from, tail, keep, n);
        length = keep + n;
    }

    /** The usage the body reported (read from the kept tail on the first call; later chunks are then ignored). */
    public Usage usage() {
        if (usage == null) {
            usage = read();
        }
        return usage;
    }

    private Usage read() {
        for (int at = length - KEY.length; at >= 0; at--) {
            if (!keyAt(at)) {
                continue;
            }
            int value = objectAfterColon(at + KEY.length);
            if (value < 0) {
                continue;
            }
            // {"usage": {...} ...: Usage reads the member and stops at the end of the object it opened.
            byte[] json = new byte[1 + length - at];
            json[0] = '{';
            System.arraycopy(tail, at, json, 1, length - at);
            Usage candidate = new Usage();
            candidate.apply(json, json.length);
            if (candidate.reported()) {
                return candidate;
            }
        }
        return new Usage();
    }

    private boolean keyAt(int at) {
        for (int i = 0; i < KEY.length; i++) {
            if (tail[at + i] != KEY[i]) {
                return false;
            }
        }
        return at == 0 || tail[at - 1] != '\\';
    }

    /** Index of the '{' after optional spaces, ':' and optional spaces; -1 when the key is not an object's. */
    private int objectAfterColon(int i) {
        i = skipSpace(i);
        if (i >= length || tail[i] != ':') {
            return -1;
        }
        i = skipSpace(i + 1);
        return i < length && tail[i] == '{' ? i : -1;
    }

    private int skipSpace(int i) {
        while (i < length && (tail[i] == ' ' || tail[i] == '\n' || tail[i] == '\r' || tail[i] == '\t')) {
            i++;
        }
        return i;
    }
}
