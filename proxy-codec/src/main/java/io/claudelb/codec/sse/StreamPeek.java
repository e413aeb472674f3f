package io.claudelb.codec.sse;

import io.claudelb.codec.error.ErrorBodyReader;
import io.claudelb.codec.error.ErrorInfo;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;

/**
 * Decides, for a streaming response held back before its first byte reaches the client, whether to forward it
 * ({@link Verdict#COMMIT}) or fail over ({@link Verdict#ERROR}): the "peek" of failover-before-first-byte.
 *
 * <p>Fed the response's content chunks in order (it scans them with an {@link SseScanner}; chunks are neither
 * moved, retained nor released), it stays {@link Verdict#UNDECIDED} through {@code message_start} and {@code ping}
 * events, turns {@link Verdict#COMMIT} at the first other event (normally {@code content_block_start}), and
 * {@link Verdict#ERROR} if an {@code event: error} comes first, exposing its {@code error.type} and message. A
 * stream that ends before any of that ({@link #onEnd()}) commits: there is nothing to fail over from. The verdict
 * never changes once decided; chunks fed afterwards are only counted.
 *
 * <p>An event without an {@code event:} line is judged by the {@code type} in its data, so backends that send bare
 * {@code data: {"type":"error",...}} blocks are caught too. The limits on bytes and time are the caller's:
 * {@link #bytesSeen()} says how much is held.
 */
public final class StreamPeek {
    /** Error payloads are small; anything larger than this is not an error worth parsing. */
    public static final int DEFAULT_MAX_DATA_BYTES = 16 * 1024;

    /** Where the peek stands. */
    public enum Verdict {
        /** Still only {@code message_start}/{@code ping} (or a partial event): keep holding. */
        UNDECIDED,
        /** A real event arrived, or the stream ended: forward what is held and relay the rest. */
        COMMIT,
        /** An {@code event: error} came before any real event: discard and fail over. */
        ERROR
    }

    private final SseScanner scanner;
    private Verdict verdict = Verdict.UNDECIDED;
    private boolean messageStartSeen;
    private String errorType;
    private String errorMessage;
    private long bytesSeen;

    public StreamPeek() {
        this(DEFAULT_MAX_DATA_BYTES);
    }

    /** @param maxDataBytes the largest event data parsed while deciding (error payloads) */
    public StreamPeek(int maxDataBytes) {
        this.scanner = new SseScanner(new Judge(), maxDataBytes);
    }

    /** Scans one more chunk (until decided) and returns the verdict. */
    public Verdict feed(ByteBuf chunk) {
        bytesSeen += chunk.readableBytes();
        if (verdict == Verdict.UNDECIDED) {
            scanner.scan(chunk);
        }
        return verdict;
    }

    /** The response ended (last content): an undecided peek commits. Returns the final verdict. */
    public Verdict onEnd() {
        if (verdict == Verdict.UNDECIDED) {
            verdict = Verdict.COMMIT;
        }
        return verdict;
    }

    public Verdict verdict() {
        return verdict;
    }

    /** Bytes fed so far, decided or not: what the caller is holding. */
    public long bytesSeen() {
        return bytesSeen;
    }

    /** Whether {@code message_start} was seen. */
    public boolean messageStartSeen() {
        return messageStartSeen;
    }

    /**
     * With {@link Verdict#ERROR}: the error's {@code error.type} (e.g. {@code overloaded_error}, or
     * {@link ErrorBodyReader#FALLBACK_TYPE} when unreadable); else null.
     */
    public String errorType() {
        return errorType;
    }

    /** With {@link Verdict#ERROR}: the error's message, or an empty string if it had none; else null. */
    public String errorMessage() {
        return errorMessage;
    }

    private void decideError(byte[] data, int length) {
        ErrorInfo info = ErrorBodyReader.readEvent(data, length);
        errorType = info.type();
        errorMessage = info.message();
        verdict = Verdict.ERROR;
    }

    /** The scanner's listener: asks for data only where the decision needs it. */
    private final class Judge implements SseListener {
        @Override
        public boolean wantsData(String eventName) {
            return verdict == Verdict.UNDECIDED && (eventName == null || "error".equals(eventName));
        }

        @Override
        public void onEvent(String eventName, byte[] data, int length) {
            if (verdict != Verdict.UNDECIDED) {
                return;
            }
            String type = eventName != null ? eventName : typeOf(data, length);
            if ("ping".equals(type)) {
                return;
            }
            if ("message_start".equals(type)) {
                messageStartSeen = true;
            } else if ("error".equals(type)) {
                decideError(data, length);
                scanner.stop();
            } else {
                verdict = Verdict.COMMIT;
                scanner.stop();
            }
        }
    }

    /** The top-level {@code type} of an event's JSON data, or null. */
    private static String typeOf(byte[] data, int length) {
        return JsonParsers.topLevelText(data, length, "type");
    }
}
