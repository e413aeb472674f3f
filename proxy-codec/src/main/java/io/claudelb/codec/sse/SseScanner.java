package io.claudelb.codec.sse;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An incremental tap on a {@code text/event-stream} body: fed the response's content chunks as they pass through the
 * relay, it reports each event's name and (only when asked) its data, without ever holding the chunks.
 *
 * <p>Follows the WHATWG event-stream parsing rules: lines end with LF, CRLF or CR (a CRLF split across two chunks
 * counts once); a line starting with {@code :} is a comment; {@code field:value} drops one space after the colon;
 * a line without a colon is a field with an empty value; {@code data:} lines of one event are joined with
 * {@code \n}; a blank line dispatches the event if it had at least one {@code data:} line; {@code id:},
 * {@code retry:} and unknown fields are ignored. An event left unfinished when the stream ends is never dispatched.
 *
 * <p>Cost model: {@link #scan} reads {@code [readerIndex, writerIndex)} of each chunk without moving its indexes and
 * without retaining or releasing it; a direct chunk is copied in blocks into a per-thread scratch array first (a
 * memcpy, cheaper than checked per-byte reads), a heap chunk is read in place. The only state carried between chunks is a few bytes of a partial field name,
 * an event name (at most {@value #MAX_EVENT_NAME_BYTES} bytes, longer names are cut) and, only for events whose data
 * the listener wants, that event's data (at most {@code maxDataBytes}). Skipped data lines are stepped over with a
 * byte search, not copied. Anthropic's event names are returned as shared constants, so a typical event allocates
 * nothing unless its data is wanted.
 *
 * <p>Data larger than {@code maxDataBytes} (counting the {@code \n} joins) is not kept: the event is still
 * dispatched, with null data, and counted by {@link #oversizedEvents()}. A listener that asked for data and gets
 * null therefore knows the data was too large.
 *
 * <p>Not thread-safe: one scanner per stream, used from the stream's event loop.
 */
public final class SseScanner {
    static final int MAX_EVENT_NAME_BYTES = 128;
    /** Longest field name acted on ("event"); longer names are unknown fields and skipped at once. */
    private static final int MAX_FIELD_BYTES = 5;
    private static final int MIN_DATA_CAPACITY = 256;
    /** A data array grown past this by one big event is dropped after dispatch rather than kept for the stream. */
    private static final int RETAINED_DATA_CAPACITY = 64 * 1024;
    /** What {@link #finish} feeds: ends a pending line, then dispatches a pending event (one blank line). */
    private static final byte[] END_OF_STREAM = {'\n', '\n'};
    private static final byte[] EVENT = ascii("event");
    private static final byte[] DATA = ascii("data");
    private static final String[] KNOWN_NAMES = {
        "message_start", "content_block_start", "content_block_delta", "content_block_stop", "message_delta",
        "message_stop", "ping", "error",
    };
    private static final byte[][] KNOWN_NAME_BYTES = Arrays.stream(KNOWN_NAMES).map(SseScanner::ascii)
            .toArray(byte[][]::new);

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** Per event-loop thread: scanners run on their stream's loop, one at a time. */
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[8 * 1024];
        }
    };

    private enum State { FIELD, SPACE, VALUE }

    private enum Target { IGNORE, EVENT, DATA }

    private final SseListener listener;
    private final int maxDataBytes;

    private State state = State.FIELD;
    private Target target = Target.IGNORE;
    /** No byte of the current line consumed yet: an end of line here is a blank line. */
    private boolean lineStart = true;
    /** The previous chunk ended with CR: a leading LF belongs to that line ending. */
    private boolean skipLf;
    private final byte[] field = new byte[MAX_FIELD_BYTES];
    private int fieldLength;

    private final byte[] name = new byte[MAX_EVENT_NAME_BYTES];
    private int nameLength;
    private String nameString;

    private byte[] data = new byte[0];
    private int dataLength;
    private int dataLines;
    private boolean wanted;
    private boolean overflow;

    private boolean stopped;
    private long bytesScanned;
    private int eventsSeen;
    private int oversizedEvents;

    /**
     * @param listener     told about every event
     * @param maxDataBytes the largest data (joined, in bytes) passed to the listener; must be positive
     */
    public SseScanner(SseListener listener, int maxDataBytes) {
        this.listener = Objects.requireNonNull(listener, "listener");
        if (maxDataBytes <= 0) {
            throw new IllegalArgumentException("maxDataBytes must be positive: " + maxDataBytes);
        }
        this.maxDataBytes = maxDataBytes;
    }

    /** Scans the readable bytes of {@code chunk}; its indexes and reference count are left alone. */
    public void scan(ByteBuf chunk) {
        int index = chunk.readerIndex();
        int length = chunk.readableBytes();
        bytesScanned += length;
        if (chunk.hasArray()) {
            scan(chunk.array(), chunk.arrayOffset() + index, chunk.arrayOffset() + index + length);
            return;
        }
        // Direct and composite chunks are copied block by block into this thread's scratch array: a plain array
        // loop is several times cheaper than ByteBuf.getByte per byte (bounds and liveness checks on every call).
        byte[] block = SCRATCH.get();
        while (length > 0 && !stopped) {
            int n = Math.min(length, block.length);
            chunk.getBytes(index, block, 0, n);
            scan(block, 0, n);
            index += n;
            length -= n;
        }
    }

    private void scan(byte[] buf, int i, int end) {
        while (i < end && !stopped) {
            if (skipLf) {
                skipLf = false;
                if (buf[i] == '\n') {
                    i++;
                    continue;
                }
            }
            switch (state) {
                case FIELD -> i = scanField(buf, i, end);
                case SPACE -> {
                    if (buf[i] == ' ') {
                        i++;
                    }
                    beginValue();
                }
                case VALUE -> i = scanValue(buf, i, end);
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /**
     * Ends this scanner's work: the scan under way returns after the current event, later calls read nothing. For a
     * listener that has learnt what it needed (a peek that reached its verdict) and must not pay for the rest.
     */
    public void stop() {
        stopped = true;
    }

    /**
     * The stream ended: an unterminated last line counts as ended and an event still open is dispatched. This is
     * lenient (the WHATWG rules drop an unfinished event): for a consumer that must not lose a provider's last
     * chunk when it omits the final blank line. The relay's tap never calls it.
     */
    public void finish() {
        scan(END_OF_STREAM, 0, END_OF_STREAM.length);
    }

    /**
     * Whether the event being read already holds more wanted data than {@code maxDataBytes}: it will be dispatched
     * with null data. For a consumer that must give up at once rather than at the event's end.
     */
    public boolean overflowing() {
        return overflow;
    }

    /** Total bytes passed to {@link #scan}. */
    public long bytesScanned() {
        return bytesScanned;
    }

    /** Events dispatched to the listener so far. */
    public int eventsSeen() {
        return eventsSeen;
    }

    /** Events whose data the listener wanted but which exceeded {@code maxDataBytes}. */
    public int oversizedEvents() {
        return oversizedEvents;
    }

    /** Consumes field-name bytes up to a colon or an end of line; returns the next index to read. */
    private int scanField(byte[] buf, int i, int end) {
        while (i < end) {
            byte b = buf[i++];
            if (b == '\n' || b == '\r') {
                skipLf = b == '\r';
                if (lineStart) {
                    dispatch();
                } else {
                    // A field without a colon: its value is empty.
                    target = resolveField();
                    beginValue();
                    endOfLine();
                }
                return i;
            }
            if (b == ':') {
                if (lineStart) {
                    // A comment line.
                    target = Target.IGNORE;
                    state = State.VALUE;
                } else {
                    target = resolveField();
                    state = State.SPACE;
                }
                lineStart = false;
                return i;
            }
            lineStart = false;
            if (fieldLength == MAX_FIELD_BYTES) {
                // Longer than any field we act on: skip the rest of the line.
                target = Target.IGNORE;
                state = State.VALUE;
                return i;
            }
            field[fieldLength++] = b;
        }
        return i;
    }

    /** Consumes value bytes up to the end of the line (or of the chunk); returns the next index to read. */
    private int scanValue(byte[] buf, int i, int end) {
        int eol = lineEnd(buf, i, end);
        if (eol > i) {
            appendValue(buf, i, eol - i);
        }
        if (eol == end) {
            return end;
        }
        skipLf = buf[eol] == '\r';
        endOfLine();
        return eol + 1;
    }

    /**
     * The index of the first CR or LF in {@code buf[i, end)}, or {@code end}. Eight bytes at a time (a text delta's
     * data line is most of an event): a byte equal to CR or LF becomes zero after the XOR, and the classic
     * "has a zero byte" test marks it; the lowest mark (little-endian) is the first match.
     */
    static int lineEnd(byte[] buf, int i, int end) {
        for (; i + Long.BYTES <= end; i += Long.BYTES) {
            long word = (long) LONGS.get(buf, i);
            long lf = word ^ 0x0A0A0A0A0A0A0A0AL;
            long cr = word ^ 0x0D0D0D0D0D0D0D0DL;
            long marks = ((lf - 0x0101010101010101L) & ~lf | (cr - 0x0101010101010101L) & ~cr) & 0x8080808080808080L;
            if (marks != 0) {
                return i + (Long.numberOfTrailingZeros(marks) >>> 3);
            }
        }
        for (; i < end; i++) {
            if (buf[i] == '\n' || buf[i] == '\r') {
                return i;
            }
        }
        return end;
    }

    private Target resolveField() {
        if (Arrays.equals(field, 0, fieldLength, DATA, 0, DATA.length)) {
            return Target.DATA;
        }
        if (Arrays.equals(field, 0, fieldLength, EVENT, 0, EVENT.length)) {
            return Target.EVENT;
        }
        return Target.IGNORE;
    }

    /** The value of a known field starts (after the optional space). */
    private void beginValue() {
        state = State.VALUE;
        if (target == Target.EVENT) {
            nameLength = 0;
            nameString = null;
        } else if (target == Target.DATA) {
            if (dataLines == 0) {
                wanted = listener.wantsData(eventName());
            } else if (wanted) {
                appendData((byte) '\n');
            }
            dataLines++;
        }
    }

    private void appendValue(byte[] buf, int index, int length) {
        if (target == Target.DATA) {
            if (!wanted || overflow) {
                return;
            }
            if (length > maxDataBytes - dataLength) {
                overflow = true;
                return;
            }
            ensureDataCapacity(dataLength + length);
            System.arraycopy(buf, index, data, dataLength, length);
            dataLength += length;
        } else if (target == Target.EVENT) {
            int n = Math.min(length, MAX_EVENT_NAME_BYTES - nameLength);
            System.arraycopy(buf, index, name, nameLength, n);
            nameLength += n;
        }
    }

    private void appendData(byte b) {
        if (overflow) {
            return;
        }
        if (dataLength == maxDataBytes) {
            overflow = true;
            return;
        }
        ensureDataCapacity(dataLength + 1);
        data[dataLength++] = b;
    }

    private void ensureDataCapacity(int needed) {
        if (needed > data.length) {
            int grown = Math.max(MIN_DATA_CAPACITY, data.length * 2);
            data = Arrays.copyOf(data, Math.min(maxDataBytes, Math.max(needed, grown)));
        }
    }

    private void endOfLine() {
        state = State.FIELD;
        target = Target.IGNORE;
        lineStart = true;
        fieldLength = 0;
    }

    /** A blank line: hand over the event (if it had data) and start the next one. */
    private void dispatch() {
        fieldLength = 0;
        if (dataLines == 0) {
            clearName();
            return;
        }
        String eventName = eventName();
        boolean delivered = wanted && !overflow;
        if (wanted && overflow) {
            oversizedEvents++;
        }
        byte[] payload = delivered ? data : null;
        int payloadLength = delivered ? dataLength : 0;
        clearName();
        dataLines = 0;
        dataLength = 0;
        wanted = false;
        overflow = false;
        eventsSeen++;
        listener.onEvent(eventName, payload, payloadLength);
        if (data.length > RETAINED_DATA_CAPACITY) {
            data = new byte[0];
        }
    }

    private void clearName() {
        nameLength = 0;
        nameString = null;
    }

    /** The current event's name: a shared constant for Anthropic's names, decoded once otherwise. */
    private String eventName() {
        if (nameLength == 0) {
            return null;
        }
        if (nameString == null) {
            nameString = lookup();
        }
        return nameString;
    }

    private String lookup() {
        for (int k = 0; k < KNOWN_NAME_BYTES.length; k++) {
            byte[] known = KNOWN_NAME_BYTES[k];
            if (Arrays.equals(name, 0, nameLength, known, 0, known.length)) {
                return KNOWN_NAMES[k];
            }
        }
        return new String(name, 0, nameLength, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
