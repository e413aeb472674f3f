package io.claudelb.codec.message;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.codec.error.ErrorBodyReader;
import io.claudelb.codec.error.ErrorInfo;
import io.claudelb.codec.json.JsonParsers;
import io.claudelb.codec.message.AssemblyResult.Outcome;
import io.claudelb.codec.sse.EventType;
import io.claudelb.codec.sse.SseListener;
import io.claudelb.codec.sse.SseScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Turns an Anthropic Messages SSE stream into the non-streaming Messages response the API would have returned for
 * the same request: for a non-streaming request that follows an identical streaming one in flight (coalescing's
 * mixed modes), which must get {@code application/json}, not the stream.
 *
 * <p>Fed the stream's content chunks as they arrive ({@link #feed}: any split, down to a cut inside a UTF-8
 * character; the project's one {@link SseScanner} frames events), then {@link #finish} once at the end of the
 * response. The result ({@link AssemblyResult}) is the body ({@code id}, {@code type}, {@code role}, {@code model},
 * every content block, {@code stop_reason}, {@code stop_sequence}, the final {@code usage} and any other member of
 * {@code message_start} or {@code message_delta}), or the stream's in-band error with its HTTP status, or the report
 * that it was incomplete, too large or malformed. How each block kind and delta is assembled is
 * {@link BlockDraft}'s; usage counts of {@code message_delta} replace those of {@code message_start}.
 * Unknown event types, {@code ping} and {@code content_block_stop} are skipped; unknown blocks pass through whole
 * and unknown delta kinds are ignored. Events after {@code message_stop} or an error are not read.
 *
 * <p>Memory: the bytes kept (the values passed through plus the joined delta strings) and the body are bounded by
 * {@code maxBytes}; beyond it the outcome is {@link Outcome#OVERFLOW} and what was kept is dropped at once. The
 * scanner holds at most one event's data on top (also at most {@code maxBytes}). Until {@link #finish} returns a
 * body, the assembler holds only heap arrays: an assembler dropped half-way (its caller left) needs no release.
 *
 * <p>Chunks are read without moving their indexes, retaining or releasing them. Not thread-safe: one assembler per
 * stream, used from one thread (the event loop of the caller it answers).
 */
public final class StreamAssembler {
    private final int maxBytes;
    private final SseScanner scanner;
    private MessageDraft draft;
    /** Null while the stream is still being read; set once, by the event that decides it. */
    private Outcome verdict;
    private String detail;
    private ErrorInfo error;
    /** Inside {@link SseScanner#finish}: an event broken there was cut by the stream's end, not malformed. */
    private boolean ending;
    private boolean finished;

    /**
     * @param maxBytes the most the assembled message may hold and its body may take, in bytes (a 200k-token answer
     *                 is a few MB of JSON); must be positive
     */
    public StreamAssembler(int maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.scanner = new SseScanner(new Listener(), maxBytes);
    }

    /** Reads one more content chunk of the stream (nothing once decided); the chunk is left as it is. */
    public void feed(ByteBuf chunk) {
        Objects.requireNonNull(chunk, "chunk");
        if (finished) {
            throw new IllegalStateException("feed after finish");
        }
        if (verdict == null) {
            scanner.scan(chunk);
        }
    }

    /**
     * Whether the outcome is already decided ({@code message_stop}, an error event, overflow or a protocol break):
     * later chunks are not read and {@link #finish} can be called without waiting for the response's end.
     */
    public boolean isDecided() {
        return verdict != null;
    }

    /** Bytes held for the message so far (0 before {@code message_start} and after a decision other than COMPLETE). */
    public long heldBytes() {
        return draft == null ? 0 : draft.heldBytes();
    }

    /**
     * The stream ended (or the caller stops here): the result. Called once. A stream without {@code message_stop}
     * is {@link Outcome#INCOMPLETE}, never a body; a last event that lacks only its closing blank line (its data line
     * whole) still counts.
     *
     * @param alloc allocates the body of a COMPLETE result, which the caller then owns
     */
    public AssemblyResult finish(ByteBufAllocator alloc) {
        Objects.requireNonNull(alloc, "alloc");
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        if (verdict == null) {
            ending = true;
            scanner.finish();
            ending = false;
        }
        finished = true;
        MessageDraft message = draft;
        draft = null;
        if (verdict == null) {
            return AssemblyResult.failed(Outcome.INCOMPLETE, message == null ? "the stream ended before message_start"
                    : "the stream ended before message_stop");
        }
        return switch (verdict) {
            case COMPLETE -> write(message, alloc);
            case ERROR -> AssemblyResult.error(error.type(), error.message());
            default -> AssemblyResult.failed(verdict, detail);
        };
    }

    private AssemblyResult write(MessageDraft message, ByteBufAllocator alloc) {
        int estimate = (int) Math.min(maxBytes, message.heldBytes() + 1024);
        ByteBuf body = alloc.buffer(estimate, maxBytes);
        try {
            writeJson(message, body);
            return AssemblyResult.complete(body);
        } catch (IndexOutOfBoundsException e) {
            // The body reached the buffer's maximum capacity, maxBytes.
            body.release();
            return AssemblyResult.failed(Outcome.OVERFLOW, "the message body exceeds " + maxBytes + " bytes");
        } catch (RuntimeException | Error e) {
            body.release();
            throw e;
        }
    }

    private static void writeJson(MessageDraft message, ByteBuf body) {
        try (JsonGenerator g = JsonParsers.factory().createGenerator((OutputStream) new ByteBufOutputStream(body))) {
            message.write(g);
        } catch (IOException e) {
            // A ByteBufOutputStream does not throw IOException; a generator misuse would.
            throw new UncheckedIOException(e);
        }
    }

    private void decide(Outcome outcome, String why) {
        verdict = outcome;
        detail = why;
        scanner.stop();
        if (outcome != Outcome.COMPLETE) {
            draft = null; // nothing of it will be used: let it go now, not when the stream ends
        }
    }

    private void fail(String why) {
        if (ending) {
            decide(Outcome.INCOMPLETE, "the stream ended inside an event (" + why + ")");
        } else {
            decide(Outcome.MALFORMED, why);
        }
    }

    private MessageDraft requireDraft(String type) throws StreamFormatException {
        if (draft == null) {
            throw new StreamFormatException(type + " before message_start");
        }
        return draft;
    }

    /** Asks for the data of the events that build the message; dispatches them. */
    private final class Listener implements SseListener {
        @Override
        public boolean wantsData(String eventName) {
            return verdict == null && (eventName == null || needsData(eventName));
        }

        @Override
        public void onEvent(String eventName, byte[] data, int length) {
            if (verdict != null) {
                return;
            }
            if (data == null && (eventName == null || needsData(eventName))) {
                decide(Outcome.OVERFLOW, "an event's data exceeds " + maxBytes + " bytes");
                return;
            }
            String type = EventType.of(eventName, data, length);
            try {
                apply(type, data, length);
            } catch (StreamFormatException e) {
                fail(e.getMessage());
                return;
            } catch (IOException e) {
                // Not the parser's message: it quotes the data.
                fail(type + ": data is not valid JSON");
                return;
            }
            if (verdict == null && draft != null && draft.heldBytes() > maxBytes) {
                decide(Outcome.OVERFLOW, "the message exceeds " + maxBytes + " bytes");
            }
        }

        private void apply(String type, byte[] data, int length) throws IOException, StreamFormatException {
            if (type == null) {
                return;
            }
            switch (type) {
                case "message_start" -> {
                    if (draft != null) {
                        throw new StreamFormatException("a second message_start");
                    }
                    draft = EventReader.messageStart(data, length);
                }
                case "content_block_start" -> EventReader.contentBlockStart(requireDraft(type), data, length);
                case "content_block_delta" -> EventReader.contentBlockDelta(requireDraft(type), data, length);
                case "message_delta" -> EventReader.messageDelta(requireDraft(type), data, length);
                case "message_stop" -> {
                    requireDraft(type);
                    if (ending && !"message_stop".equals(EventType.of(data, length))) {
                        // Flushed at the end without its blank line: only a whole data line makes it the real end.
                        throw new StreamFormatException("message_stop cut short");
                    }
                    decide(Outcome.COMPLETE, null);
                }
                case "error" -> {
                    error = ErrorBodyReader.readEvent(data, length);
                    decide(Outcome.ERROR, null);
                }
                default -> {
                    // ping, content_block_stop (a block is complete with its last delta), event types added later
                }
            }
        }
    }

    /**
     * Events whose data builds the message, and message_stop (to tell a whole last event from a cut one);
     * content_block_stop, ping and unknown events carry nothing needed.
     */
    private static boolean needsData(String eventName) {
        return switch (eventName) {
            case "message_start", "content_block_start", "content_block_delta", "message_delta", "message_stop",
                    "error" -> true;
            default -> false;
        };
    }
}
