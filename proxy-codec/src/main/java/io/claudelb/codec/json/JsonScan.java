package io.claudelb.codec.json;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A validating scan of one JSON object held in a byte array, for {@link RequestInspector}: it reports each top-level
 * member as byte ranges and turns nothing into Java values.
 *
 * <p>It checks what jackson's parser checks when it skips a value (structure, member names, string escapes,
 * unescaped control characters, UTF-8 sequences with jackson's leniency, number and literal grammar, nesting depth
 * and number length within jackson's default limits), so a body jackson refuses is refused here too. It exists
 * because a Claude Code body is almost all string contents (messages, tool schemas, file contents) and jackson looks
 * at every byte of them on its own; here a string's contents are passed over eight bytes at a time, stopping only at
 * a quote, a backslash, a control character or a non-ASCII byte. A real Claude Code body has one of those every 15
 * bytes or so (escaped newlines and quotes in code), so the gain is bounded: inspecting a 50 KB body takes about
 * three quarters of jackson's time (benchmarks' {@code RequestInspectBenchmark}, 26-27 -> 20-21 us).
 */
final class JsonScan {
    /** jackson's default {@code StreamReadConstraints}: deeper nesting is refused rather than followed. */
    static final int MAX_DEPTH = 1000;
    /** jackson's default limit on the characters of one number. */
    static final int MAX_NUMBER_LENGTH = 1000;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] NULL = {'n', 'u', 'l', 'l'};

    /** Receives the top-level members in order, each once its value has been scanned. */
    interface Members {
        /**
         * @param keyStart   the member name's opening quote
         * @param keyEnd     just past its closing quote
         * @param valueStart the value's first byte
         * @param valueEnd   just past its last byte
         */
        void member(int keyStart, int keyEnd, int valueStart, int valueEnd) throws InvalidRequestException;
    }

    private final byte[] a;
    private final int from;
    private final int end;
    private int pos;
    /** One bit per nesting level: set while that level is an array. */
    private final long[] arrays = new long[(MAX_DEPTH + 64) / 64];

    private JsonScan(byte[] a, int from, int end) {
        this.a = a;
        this.from = from;
        this.end = end;
    }

    /**
     * Scans {@code a[from, end)}, which must hold one JSON object and nothing else but whitespace.
     *
     * @return the index of the object's closing brace
     * @throws InvalidRequestException naming what is wrong and where (offsets from {@code from}), or what
     *                                 {@code members} threw
     */
    static int object(byte[] a, int from, int end, Members members) throws InvalidRequestException {
        return new JsonScan(a, from, end).topLevel(members);
    }

    private int topLevel(Members members) throws InvalidRequestException {
        pos = from;
        if (end - from >= 3 && a[from] == (byte) 0xEF && a[from + 1] == (byte) 0xBB && a[from + 2] == (byte) 0xBF) {
            pos += 3; // a UTF-8 byte order mark, which jackson skips too
        }
        whitespace();
        if (pos == end || a[pos] != '{') {
            throw notAnObject();
        }
        pos++;
        boolean first = true;
        while (true) {
            whitespace();
            byte c = at(pos);
            if (c == '}' && first) {
                break;
            }
            if (c != '"') {
                throw malformed(first ? "expected a member name or '}'" : "expected a member name");
            }
            int keyStart = pos;
            string();
            int keyEnd = pos;
            colon();
            int valueStart = pos;
            value(2);
            members.member(keyStart, keyEnd, valueStart, pos);
            whitespace();
            c = at(pos);
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw malformed("expected ',' or '}'");
            }
            pos++;
            first = false;
        }
        int closing = pos++;
        whitespace();
        if (pos < end) {
            throw startsAValue(a[pos]) ? new InvalidRequestException("Request body must be a single JSON object.")
                    : malformed("unexpected character after the object");
        }
        return closing;
    }

    /** One value at {@code pos}, which is at depth {@code depth} if it is an object or an array. */
    private void value(int depth) throws InvalidRequestException {
        byte c = at(pos);
        if (c == '{' || c == '[') {
            container(depth);
        } else {
            scalar(c);
        }
    }

    /**
     * An object or an array and everything in it, without recursion: a bit per level says which it is, so the
     * nesting depth costs no stack.
     */
    private void container(int outerDepth) throws InvalidRequestException {
        int depth = outerDepth;
        open(depth);
        // Right after an opening bracket the closing one may come; after a comma only an item.
        boolean mayClose = true;
        while (true) {
            whitespace();
            byte c = at(pos);
            boolean array = isArray(depth);
            if (mayClose && c == (array ? ']' : '}')) {
                pos++;
                if (--depth < outerDepth) {
                    return;
                }
            } else {
                if (!array) {
                    if (c != '"') {
                        throw malformed(mayClose ? "expected a member name or '}'" : "expected a member name");
                    }
                    string();
                    colon();
                    c = at(pos);
                }
                if (c == '{' || c == '[') {
                    open(++depth);
                    mayClose = true;
                    continue;
                }
                scalar(c);
            }
            // After an item of the level at depth: a comma, or the level's closing bracket (which makes the level
            // itself an item of the one below it).
            while (true) {
                whitespace();
                c = at(pos);
                if (c == ',') {
                    pos++;
                    mayClose = false;
                    break;
                }
                if (c != (isArray(depth) ? ']' : '}')) {
                    throw malformed(isArray(depth) ? "expected ',' or ']'" : "expected ',' or '}'");
                }
                pos++;
                if (--depth < outerDepth) {
                    return;
                }
            }
        }
    }

    private void open(int depth) throws InvalidRequestException {
        if (depth > MAX_DEPTH) {
            throw malformed("nesting deeper than " + MAX_DEPTH + " levels");
        }
        long bit = 1L << (depth & 63);
        if (a[pos] == '[') {
            arrays[depth >>> 6] |= bit;
        } else {
            arrays[depth >>> 6] &= ~bit;
        }
        pos++;
    }

    private boolean isArray(int depth) {
        return (arrays[depth >>> 6] & (1L << (depth & 63))) != 0;
    }

    private void colon() throws InvalidRequestException {
        whitespace();
        if (at(pos) != ':') {
            throw malformed("expected ':'");
        }
        pos++;
        whitespace();
    }

    private void scalar(byte c) throws InvalidRequestException {
        switch (c) {
            case '"' -> string();
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw malformed("unexpected character");
                }
            }
        }
    }

    /** A string from its opening quote at {@code pos}; leaves {@code pos} just past the closing one. */
    private void string() throws InvalidRequestException {
        // Locals, so the word loop keeps them in registers.
        byte[] a = this.a;
        int lastWord = end - Long.BYTES;
        int i = pos + 1;
        while (true) {
            while (i <= lastWord) {
                long special = special((long) LONGS.get(a, i));
                if (special != 0) {
                    i += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                i += Long.BYTES;
            }
            if (i >= end) {
                pos = end;
                throw malformed("unterminated string");
            }
            int b = a[i];
            if (b == '"') {
                pos = i + 1;
                return;
            } else if (b == '\\') {
                i = escape(i);
            } else if (b < 0) {
                i = utf8(i, b & 0xFF);
            } else if (b < 0x20) {
                pos = i;
                throw malformed("unescaped control character in a string");
            } else {
                i++; // an ordinary byte among the last few, which the word loop does not reach
            }
        }
    }

    /**
     * The high bit of each byte of {@code w} that is a quote, a backslash, below 0x20 or above 0x7F. Only the lowest
     * set bit is exact (a borrow can mark bytes above a true match), which is the only one read.
     */
    private static long special(long w) {
        long quotes = w ^ QUOTES;
        long backslashes = w ^ BACKSLASHES;
        return ((quotes - ONES) & ~quotes | (backslashes - ONES) & ~backslashes | (w - SPACES) & ~w | w) & HIGHS;
    }

    private int escape(int i) throws InvalidRequestException {
        if (i + 1 >= end) {
            pos = end;
            throw malformed("unterminated string");
        }
        switch (a[i + 1]) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                return i + 2;
            }
            case 'u' -> {
                for (int k = i + 2; k < i + 6; k++) {
                    if (k >= end || Character.digit(a[k], 16) < 0) {
                        pos = Math.min(k, end);
                        throw malformed("bad \\u escape");
                    }
                }
                return i + 6;
            }
            default -> {
                pos = i;
                throw malformed("bad escape");
            }
        }
    }

    /** A multi-byte UTF-8 sequence at {@code i} led by {@code lead}, checked as jackson checks it. */
    private int utf8(int i, int lead) throws InvalidRequestException {
        int continuation;
        if ((lead & 0xE0) == 0xC0) {
            continuation = 1;
        } else if ((lead & 0xF0) == 0xE0) {
            continuation = 2;
        } else if ((lead & 0xF8) == 0xF0) {
            continuation = 3;
        } else {
            pos = i;
            throw malformed("invalid UTF-8");
        }
        for (int k = i + 1; k <= i + continuation; k++) {
            if (k >= end || (a[k] & 0xC0) != 0x80) {
                pos = Math.min(k, end);
                throw malformed("invalid UTF-8");
            }
        }
        return i + continuation + 1;
    }

    private void literal(byte[] word) throws InvalidRequestException {
        for (byte b : word) {
            if (pos >= end || a[pos] != b) {
                throw malformed("unrecognized token");
            }
            pos++;
        }
        if (pos < end && isNameByte(a[pos])) {
            throw malformed("unrecognized token");
        }
    }

    /** {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?} */
    private void number() throws InvalidRequestException {
        int start = pos;
        if (a[pos] == '-') {
            pos++;
        }
        if (at(pos) == '0') {
            pos++;
        } else {
            digits();
        }
        if (pos < end && a[pos] == '.') {
            pos++;
            digits();
        }
        if (pos < end && (a[pos] == 'e' || a[pos] == 'E')) {
            pos++;
            if (pos < end && (a[pos] == '+' || a[pos] == '-')) {
                pos++;
            }
            digits();
        }
        if (pos - start > MAX_NUMBER_LENGTH) {
            throw malformed("number longer than " + MAX_NUMBER_LENGTH + " characters");
        }
        if (pos < end && isNameByte(a[pos])) {
            throw malformed("unexpected character in a number");
        }
    }

    /** One or more digits. */
    private void digits() throws InvalidRequestException {
        if (!isDigit(at(pos))) {
            throw malformed("expected a digit");
        }
        do {
            pos++;
        } while (pos < end && isDigit(a[pos]));
    }

    private void whitespace() {
        while (pos < end) {
            byte b = a[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private byte at(int i) throws InvalidRequestException {
        if (i >= end) {
            pos = end;
            throw malformed("unexpected end of input");
        }
        return a[i];
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** A byte that would continue a bare word ({@code truex}, {@code 12abc}): jackson reports those as one token. */
    private static boolean isNameByte(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_' || b < 0;
    }

    private static boolean startsAValue(byte b) {
        return b == '{' || b == '[' || b == '"' || b == '-' || isDigit(b) || b == 't' || b == 'f' || b == 'n';
    }

    private InvalidRequestException notAnObject() {
        if (pos == end || startsAValue(a[pos])) {
            return new InvalidRequestException("Request body must be a JSON object.");
        }
        if (looksLikeUtf16Or32()) {
            return new InvalidRequestException("Request body must be UTF-8 encoded JSON.");
        }
        return malformed("unexpected character");
    }

    /** A zero byte among the first four, or a UTF-16 byte order mark: how jackson tells those encodings apart. */
    private boolean looksLikeUtf16Or32() {
        if (end - from >= 2 && ((a[from] == (byte) 0xFE && a[from + 1] == (byte) 0xFF)
                || (a[from] == (byte) 0xFF && a[from + 1] == (byte) 0xFE))) {
            return true;
        }
        for (int i = from; i < Math.min(end, from + 4); i++) {
            if (a[i] == 0) {
                return true;
            }
        }
        return false;
    }

    private InvalidRequestException malformed(String what) {
        return new InvalidRequestException("Request body is not valid JSON: " + what + " at byte " + (pos - from));
    }
}
