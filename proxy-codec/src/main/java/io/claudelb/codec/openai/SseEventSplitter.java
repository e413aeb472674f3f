package io.claudelb.codec.openai;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental parser for the upstream's {@code text/event-stream} (the WHATWG SSE rules): bytes arrive in any
 * split, lines end with LF, CRLF or CR (a CRLF split across two buffers counts once), {@code data:} lines
 * accumulate until a blank line dispatches the event, {@code event:} names it, comment lines ({@code :}, such as
 * OpenRouter's keep-alives) and other fields are ignored. Part of {@link OpenAiStreamTranslator}; the shared
 * {@code io.claudelb.codec.sse} scanner is a pass-through tap, this one feeds a re-serialising translator.
 *
 * <p>Carry-over between buffers is copied into heap arrays, so the splitter holds no reference-counted memory; it
 * is bounded by {@code maxEventBytes} per event.
 */
final class SseEventSplitter {
    /** Receives each complete event; {@code data} is valid only during the call. */
    interface Listener {
        void onEvent(String eventName, byte[] data, int length);
    }

    private static final int INITIAL = 256;
    private static final int SHRINK_ABOVE = 64 * 1024;

    private final int maxEventBytes;
    private byte[] line = new byte[INITIAL];
    private int lineLength;
    private byte[] data = new byte[INITIAL];
    private int dataLength;
    private boolean hasData;
    private String eventName;
    private boolean skipLineFeed;

    SseEventSplitter(int maxEventBytes) {
        if (maxEventBytes < 16) {
            throw new IllegalArgumentException("maxEventBytes must be >= 16, got " + maxEventBytes);
        }
        this.maxEventBytes = maxEventBytes;
    }

    /**
     * Parses the readable bytes of {@code in} (its indices are not moved) and dispatches every event they
     * complete.
     *
     * @throws TranslationException when one event exceeds the bound
     */
    void feed(ByteBuf in, Listener listener) {
        int index = in.readerIndex();
        int end = in.writerIndex();
        while (index < end) {
            if (skipLineFeed) {
                skipLineFeed = false;
                if (in.getByte(index) == '\n') {
                    index++;
                    continue;
                }
            }
            int eol = in.forEachByte(index, end - index, ByteProcessor.FIND_CRLF);
            if (eol < 0) {
                appendToLine(in, index, end - index);
                return;
            }
            appendToLine(in, index, eol - index);
            skipLineFeed = in.getByte(eol) == '\r';
            index = eol + 1;
            processLine(listener);
        }
    }

    /** Ends the stream: an unterminated last line and an undispatched event are processed as if terminated. */
    void finish(Listener listener) {
        if (lineLength > 0) {
            processLine(listener);
        }
        dispatch(listener);
    }

    private void appendToLine(ByteBuf in, int index, int length) {
        if (length == 0) {
            return;
        }
        int needed = lineLength + length;
        if (needed + dataLength > maxEventBytes) {
            throw new TranslationException("OpenAI-compatible upstream sent a stream event larger than "
                    + maxEventBytes + " bytes");
        }
        if (needed > line.length) {
            line = Arrays.copyOf(line, Math.min(Math.max(needed, line.length * 2), maxEventBytes));
        }
        in.getBytes(index, line, lineLength, length);
        lineLength = needed;
    }

    private void processLine(Listener listener) {
        int length = lineLength;
        lineLength = 0;
        if (length == 0) {
            dispatch(listener);
            return;
        }
        if (line[0] == ':') {
            return;
        }
        int colon = 0;
        while (colon < length && line[colon] != ':') {
            colon++;
        }
        int valueStart = colon < length ? colon + 1 : length;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        if (isField("data", colon)) {
            appendData(valueStart, length - valueStart);
        } else if (isField("event", colon)) {
            eventName = new String(line, valueStart, length - valueStart, StandardCharsets.UTF_8);
        }
        shrinkLine();
    }

    private boolean isField(String name, int length) {
        if (length != name.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (line[i] != name.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private void appendData(int from, int length) {
        int needed = dataLength + length + 1;
        if (needed > maxEventBytes) {
            throw new TranslationException("OpenAI-compatible upstream sent a stream event larger than "
                    + maxEventBytes + " bytes");
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, Math.min(Math.max(needed, data.length * 2), maxEventBytes));
        }
        System.arraycopy(line, from, data, dataLength, length);
        dataLength += length;
        data[dataLength++] = '\n';
        hasData = true;
    }

    private void dispatch(Listener listener) {
        String name = eventName;
        eventName = null;
        if (!hasData) {
            return;
        }
        int length = dataLength - 1;
        hasData = false;
        dataLength = 0;
        listener.onEvent(name, data, length);
        if (data.length > SHRINK_ABOVE) {
            data = new byte[INITIAL];
        }
    }

    private void shrinkLine() {
        if (line.length > SHRINK_ABOVE) {
            line = new byte[INITIAL];
        }
    }
}
