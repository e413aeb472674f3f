package io.claudelb.server.exchange;

import io.claudelb.codec.sse.SseScanner;
import io.claudelb.codec.usage.JsonUsageTap;
import io.claudelb.codec.usage.Usage;
import io.claudelb.codec.usage.UsageTap;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;

/**
 * Step 8 of the request path: a committed answer, relayed from one upstream connection to a {@link ResponseSink}
 * chunk by chunk, never aggregated, never copied. The chunks of one upstream read go out as one chunk
 * ({@link RelayBatch}) and one flush; an event stream is tapped for usage and in-band errors on the way
 * ({@link SseScanner}, {@link UsageTap}) and its framing tracked ({@link SseTail}) so that a failure can close it
 * with a valid {@code event: error}. The upstream is read again only while the sink is writable; a sink that stays
 * unwritable longer than the write-stall timeout ends the relay (a client that stopped reading must not hold an
 * upstream connection forever), and an upstream that stays silent longer than its idle timeout fails it.
 *
 * <p>How the relay ended goes to its {@link Owner} once; the owner retires the upstream connection. Owned by one
 * attempt, on its event loop.
 */
final class StreamRelay {
    private static final int MAX_TAPPED_EVENT = 64 * 1024;

    /** How a relay ended. */
    enum End {
        /** The last chunk went to the sink. */
        COMPLETE,
        /** The upstream failed after bytes reached the sink; the sink got an error tail or was aborted. */
        UPSTREAM_FAILED,
        /** The sink took nothing for the write-stall timeout; it was aborted. */
        SINK_STALLED,
        /** Cut by the shutdown's grace running out; the sink got an error tail or was aborted. */
        SHUT_DOWN,
        /** The sink's consumer went away. */
        CANCELLED
    }

    /** Told once how the relay ended. */
    interface Owner {
        /**
         * @param failure          for {@link End#UPSTREAM_FAILED}, the failure kind, else null
         * @param upstreamReusable the upstream's response was read completely and it may take another request
         */
        void relayEnded(End end, FailureKind failure, boolean upstreamReusable);
    }

    private final ResponseSink sink;
    private final ResponseTranslation translation;
    private final boolean eventStream;
    private final boolean upstreamKeepAlive;
    private final Runnable readMore;
    private final ExchangeTimer timer;
    private final NanoClock clock;
    private final long idleNanos;
    private final long stallNanos;
    private final Owner owner;
    private final RelayBatch batch;
    private final UsageTap usage;
    private final SseScanner tap;
    private final SseTail tail;
    /** Usage of a plain JSON answer, read from its chunks as they pass; null for streams and token counts. */
    private final JsonUsageTap jsonUsage;
    private long bytes;
    /** When the last upstream read batch ended (read once per batch, not per chunk), or the relay began. */
    private long lastReadNanos;
    private boolean paused;
    private long pausedSinceNanos;
    private boolean ended;

    /**
     * @param eventStream       the answer is an event stream (tapped; a failure ends it with an error event)
     * @param upstreamKeepAlive the upstream's head allows reusing its connection
     * @param readMore          asks the upstream connection for more (a read with auto-read off)
     * @param idleNanos         longest upstream silence while the relay waits for it
     * @param stallNanos        longest the sink may stay unwritable, 0 for no limit
     * @param tapJsonUsage      read the usage of a plain (non-stream) answer as it passes (a Messages answer)
     */
    StreamRelay(ResponseSink sink, ResponseTranslation translation, boolean eventStream, boolean upstreamKeepAlive,
                Runnable readMore, ExchangeTimer timer, NanoClock clock, long idleNanos, long stallNanos,
                boolean tapJsonUsage, Owner owner) {
        this.sink = sink;
        this.translation = translation;
        this.eventStream = eventStream;
        this.upstreamKeepAlive = upstreamKeepAlive;
        this.readMore = readMore;
        this.timer = timer;
        this.clock = clock;
        this.idleNanos = idleNanos;
        this.stallNanos = stallNanos;
        this.owner = owner;
        this.batch = new RelayBatch(sink.alloc());
        this.usage = eventStream ? new UsageTap() : null;
        this.tap = eventStream ? new SseScanner(usage, MAX_TAPPED_EVENT) : null;
        this.tail = eventStream ? new SseTail() : null;
        this.jsonUsage = !eventStream && tapJsonUsage ? new JsonUsageTap() : null;
    }

    /** Sends the head; the body follows through {@link #relay}. */
    void start(HttpResponse clientHead) {
        lastReadNanos = clock.nanoTime();
        sink.onWritable(this::resume);
        sink.head(clientHead);
        timer.arm(idleNanos);
    }

    /** Body bytes read before the relay began (an error body too large to judge): they go first, unscanned. */
    void prefix(ByteBuf buffered) {
        bytes += buffered.readableBytes();
        sink.content(new DefaultHttpContent(buffered));
    }

    /** One response chunk (ownership passes); the last one completes the relay. */
    void relay(HttpContent content) {
        if (ended) {
            content.release();
            return;
        }
        ByteBuf chunk = content.content();
        bytes += chunk.readableBytes();
        if (tap != null) {
            tap.scan(chunk);
            tail.track(chunk);
        } else if (jsonUsage != null) {
            jsonUsage.feed(chunk);
        }
        if (!(content instanceof LastHttpContent last)) {
            batch.add(chunk);
            return;
        }
        if (last.trailingHeaders().isEmpty()) {
            batch.add(chunk);
            finish(End.COMPLETE, null, upstreamKeepAlive, batch.takeAsLast(), false);
        } else {
            writeBatch();
            finish(End.COMPLETE, null, upstreamKeepAlive, last, false);
        }
    }

    /** The end of an upstream read batch: what it relayed goes out, and the upstream is read again if the sink can take it. */
    void readComplete() {
        if (ended) {
            return;
        }
        lastReadNanos = clock.nanoTime();
        flush();
        if (sink.isWritable()) {
            readMore.run();
        } else {
            paused = true;
            pausedSinceNanos = clock.nanoTime();
            if (stallNanos > 0) {
                timer.arm(Math.min(stallNanos, idleNanos));
            }
        }
    }

    /** Sends what this read batch relayed so far, outside a read batch's end (e.g. when the peek times out). */
    void flush() {
        writeBatch();
        sink.flush();
    }

    private void resume() {
        if (paused && !ended && sink.isWritable()) {
            paused = false;
            // The upstream was not asked for anything while paused: its silence counts from now.
            lastReadNanos = clock.nanoTime();
            readMore.run();
        }
    }

    /** The exchange's timer fired while relaying. */
    void onTimer() {
        if (ended) {
            return;
        }
        long now = clock.nanoTime();
        if (paused) {
            long stalled = now - pausedSinceNanos;
            if (stallNanos > 0 && stalled >= stallNanos) {
                writeBatch();
                abort(End.SINK_STALLED, null);
                return;
            }
            timer.arm(stallNanos > 0 ? Math.min(idleNanos, stallNanos - stalled) : idleNanos);
            return;
        }
        long quiet = now - lastReadNanos;
        if (quiet >= idleNanos) {
            fail(FailureKind.READ_TIMEOUT);
        } else {
            timer.arm(idleNanos - quiet);
        }
    }

    /**
     * The upstream failed after bytes reached the sink. A stream ends with one protocol-valid {@code event: error};
     * any other body cannot be completed, so the sink is aborted.
     */
    void fail(FailureKind kind) {
        endWithError(End.UPSTREAM_FAILED, kind, "api_error",
                "The upstream connection failed mid-stream; the response is incomplete.");
    }

    /** The shutdown grace is over: the stream ends with an error event saying so. */
    void shutDown() {
        endWithError(End.SHUT_DOWN, null, "overloaded_error",
                "claude-lb is shutting down; the response is incomplete. Retry the request.");
    }

    /** The sink's consumer went away: drop what is held; nothing more is written. */
    void cancel() {
        if (!ended) {
            ended = true;
            batch.release();
            sink.onWritable(null);
            owner.relayEnded(End.CANCELLED, null, false);
        }
    }

    private void endWithError(End end, FailureKind kind, String errorType, String message) {
        if (ended) {
            return;
        }
        writeBatch();
        if (!eventStream) {
            abort(end, kind);
            return;
        }
        // The upstream may have stopped inside an event: close it off first so ours parses as an error event.
        String separator = tail.separator();
        if (!separator.isEmpty()) {
            sink.content(new DefaultHttpContent(Unpooled.copiedBuffer(separator, StandardCharsets.US_ASCII)));
        }
        ByteBuf event = translation.failure(sink.alloc(), errorType, message);
        finish(end, kind, false, new DefaultLastHttpContent(event), true);
    }

    /** Ends with a last chunk: complete, or (a stream) closed with an error event. */
    private void finish(End end, FailureKind kind, boolean reusable, LastHttpContent last, boolean failed) {
        ended = true;
        sink.onWritable(null);
        if (failed) {
            sink.fail(last);
        } else {
            sink.end(last);
        }
        owner.relayEnded(end, kind, reusable);
    }

    /** Ends without completing the body: the sink is aborted; the upstream response was not read to its end. */
    private void abort(End end, FailureKind kind) {
        ended = true;
        sink.onWritable(null);
        sink.abort();
        owner.relayEnded(end, kind, false);
    }

    private void writeBatch() {
        HttpContent chunk = batch.take();
        if (chunk != null) {
            sink.content(chunk);
        }
    }

    /** Body bytes relayed so far. */
    long bytes() {
        return bytes;
    }

    /** Usage and in-band errors tapped from the stream, or null for a plain body. */
    UsageTap usage() {
        return usage;
    }

    /** Usage read from a plain JSON answer, or null (a stream, a token count, nothing tapped). */
    Usage jsonUsage() {
        return jsonUsage == null ? null : jsonUsage.usage();
    }

    boolean ended() {
        return ended;
    }
}
