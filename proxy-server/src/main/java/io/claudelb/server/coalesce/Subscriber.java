package io.claudelb.server.coalesce;

import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.codec.message.AssemblyResult;
import io.claudelb.codec.message.StreamAssembler;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.exchange.ResponseSink;
import io.claudelb.server.exchange.RunningExchange;
import io.claudelb.server.exchange.SseTail;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.observe.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * One caller of a coalesced call: the leader, a follower, or a replay. It takes the call's pieces on its own client
 * connection's event loop (hand-offs between loops carry retained duplicates, never a shared buffer) and writes them
 * to its {@link ResponseSink}, with its own request id and {@code x-claude-lb-coalesced} role in the head. A caller
 * that asked for no stream while the call streams gets the Messages JSON assembled from the stream
 * ({@link StreamAssembler}); a caller that falls further behind than {@code dedup.max_replay_bytes} is dropped with
 * one {@code event: error}, never slowing the others. When its answer is over and the call's facts are known
 * (attempts, upstream, usage), its own {@link ExchangeEvent} goes to the observers.
 *
 * <p>Threads: {@link #offer} and {@link #callFacts} may be called from the call's loop; everything else, and every
 * piece's handling, runs on this caller's loop.
 */
final class Subscriber implements RunningExchange {
    static final AsciiString ROLE_HEADER = AsciiString.cached("x-claude-lb-coalesced");
    private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream");

    private final ResponseSink sink;
    private final EventLoop loop;
    private final ExchangeRecord record;
    private final ExchangeObserver observers;
    private final NanoClock clock;
    private final CoalescingRole role;
    private final boolean wantsStream;
    private final long maxBehind;
    private final CoalescingStats stats;
    /** Answers alone (no coalescing) when the call could no longer take this caller; null if never needed. */
    private final Supplier<RunningExchange> alone;
    private volatile CoalescedCall call;
    private volatile boolean over;
    private RunningExchange aloneRunning;
    /** A follower's request, kept until the call has taken the follower (then released) or missed it (then used). */
    private FullHttpRequest held;
    private boolean emitted;
    private ExchangeEvent facts;
    private long endNanos;
    private boolean headSent;
    private boolean streamedHead;
    private long bytes;
    private final SseTail tail = new SseTail();
    private HttpResponse assembling;
    private StreamAssembler assembler;
    private boolean passThrough;

    /**
     * @param maxBehind how many bytes the consumer may leave untaken before it is dropped (and the assembler's cap)
     * @param alone     starts this request's own exchange when joining fails after all; null for a leader or a
     *                  replay, which never need it
     */
    Subscriber(ResponseSink sink, EventLoop loop, ExchangeRecord record, ExchangeObserver observers, NanoClock clock,
               CoalescingRole role, boolean wantsStream, long maxBehind, CoalescingStats stats,
               Supplier<RunningExchange> alone) {
        this.sink = sink;
        this.loop = loop;
        this.record = record;
        this.observers = observers;
        this.clock = clock;
        this.role = role;
        this.wantsStream = wantsStream;
        this.maxBehind = maxBehind;
        this.stats = stats;
        this.alone = alone;
        record.role(role);
        sink.onWritable(this::writable);
    }

    CoalescingRole role() {
        return role;
    }

    /** The call this caller is attached to (set by the call, on the call's loop). */
    void attachedTo(CoalescedCall to) {
        this.call = to;
        if (loop.inEventLoop()) {
            releaseHeld();
        } else {
            loop.execute(this::releaseHeld);
        }
    }

    /** Keeps a follower's request until it is known whether the call takes it (on this caller's loop). */
    void hold(FullHttpRequest request) {
        this.held = request;
    }

    private void releaseHeld() {
        FullHttpRequest r = held;
        held = null;
        if (r != null) {
            r.release();
        }
    }

    /** Whether the call should count this caller's consumer as able to take more now (any thread). */
    boolean isWritable() {
        return !over && sink.isWritable();
    }

    boolean isOver() {
        return over;
    }

    // ---- pieces (any thread in, this caller's loop from here on) --------------------------------------------

    void offer(Piece piece) {
        if (loop.inEventLoop()) {
            onPiece(piece);
        } else {
            loop.execute(() -> onPiece(piece));
        }
    }

    void offer(List<Piece> pieces) {
        if (loop.inEventLoop()) {
            pieces.forEach(this::onPiece);
        } else {
            loop.execute(() -> pieces.forEach(this::onPiece));
        }
    }

    private void onPiece(Piece p) {
        if (over || aloneRunning != null) {
            p.release();
            return;
        }
        if (!wantsStream && !passThrough && (assembler != null || p.kind == Piece.Kind.HEAD && isStream(p.head))) {
            assemble(p);
        } else {
            if (!wantsStream && p.kind == Piece.Kind.HEAD) {
                // A JSON caller of a call whose answer is not a stream (JSON, or an error): the same bytes.
                passThrough = true;
            }
            relay(p);
        }
    }

    /** The piece as it is, with this caller's own head. */
    private void relay(Piece p) {
        switch (p.kind) {
            case HEAD -> {
                headSent = true;
                streamedHead = isStream(p.head);
                record.answered(p.head.status().code(), clock.nanoTime() - record.startNanos());
                sink.head(ownHead(p.head));
            }
            case CONTENT -> {
                int n = p.size();
                if (sink.pendingBytes() + n > maxBehind) {
                    p.release();
                    stats.followersDropped.increment();
                    endLocally("overloaded_error", "This response was shared with identical requests and this "
                            + "client fell too far behind it; retry the request.", Outcome.CLIENT_STALLED);
                    return;
                }
                count(n);
                tail.track(p.bytes);
                sink.content(new DefaultHttpContent(p.bytes));
                sink.flush();
            }
            case END, FAIL -> {
                count(p.size());
                LastHttpContent last = new DefaultLastHttpContent(p.bytes == null ? Unpooled.EMPTY_BUFFER : p.bytes,
                        p.trailers == null ? DefaultHttpHeadersFactory.trailersFactory().newHeaders() : p.trailers);
                if (p.kind == Piece.Kind.END) {
                    sink.end(last);
                    answerOver(Outcome.COMPLETED);
                } else {
                    sink.fail(last);
                    answerOver(callBroken());
                }
            }
            case ABORT -> {
                sink.abort();
                answerOver(callBroken());
            }
            case WHOLE -> {
                count(p.size());
                record.answered(p.head.status().code(), clock.nanoTime() - record.startNanos());
                HttpResponse head = ownHead(p.head);
                sink.whole(new DefaultFullHttpResponse(head.protocolVersion(), head.status(), p.bytes, head.headers(),
                        DefaultHttpHeadersFactory.trailersFactory().newHeaders()));
                // A whole answer at the shutdown is the 503 of a call that had answered nothing yet.
                answerOver(callCutByShutdown() ? Outcome.CUT_BY_SHUTDOWN : Outcome.COMPLETED);
            }
            default -> throw new IllegalStateException(p.kind.toString());
        }
    }

    /** A JSON caller of a streaming call: the stream is assembled into the message the API would have sent. */
    private void assemble(Piece p) {
        try {
            if (p.kind == Piece.Kind.HEAD) {
                assembling = p.head;
                assembler = new StreamAssembler((int) Math.min(Integer.MAX_VALUE, maxBehind));
                return;
            }
            if (p.bytes != null) {
                assembler.feed(p.bytes);
            }
        } finally {
            p.release();
        }
        if (p.ends() || assembler.isDecided()) {
            answerAssembled(assembler.finish(sink.alloc()));
        }
    }

    private void answerAssembled(AssemblyResult result) {
        FullHttpResponse answer;
        if (result.isComplete()) {
            HttpHeaders headers = assembling.headers().copy();
            headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
            headers.remove(HttpHeaderNames.CACHE_CONTROL);
            headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            answer = new DefaultFullHttpResponse(assembling.protocolVersion(), HttpResponseStatus.OK, result.body(),
                    headers, DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        } else if (result.outcome() == AssemblyResult.Outcome.ERROR) {
            answer = LocalResponses.json(result.status(),
                    AnthropicErrors.jsonBody(sink.alloc(), result.errorType(), result.errorMessage()));
        } else {
            answer = LocalResponses.error(sink.alloc(), 502, "api_error",
                    "The shared upstream stream could not be turned into a message (" + result.outcome()
                            .name().toLowerCase(java.util.Locale.ROOT) + "); retry the request.");
        }
        answer.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().readableBytes());
        answer.headers().set(ROLE_HEADER, role.wireName());
        answer.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        count(answer.content().readableBytes());
        record.answered(answer.status().code(), clock.nanoTime() - record.startNanos());
        sink.whole(answer);
        answerOver(result.isComplete() ? Outcome.COMPLETED : callBroken());
    }

    // ---- this caller's own endings --------------------------------------------------------------------------

    /** The client went away: this caller detaches and costs nothing; the call goes on for the others. */
    @Override
    public void cancel() {
        if (aloneRunning != null) {
            aloneRunning.cancel();
            return;
        }
        if (over) {
            return;
        }
        record.outcome(Outcome.CLIENT_ABORTED);
        finish();
    }

    /** The shutdown grace is over: the leader ends the call for everyone, a follower ends its own answer. */
    @Override
    public void shutDown() {
        if (aloneRunning != null) {
            aloneRunning.shutDown();
            return;
        }
        if (over) {
            return;
        }
        CoalescedCall c = call;
        if (role == CoalescingRole.LEADER && c != null) {
            c.shutDownUpstream();
            if (over) {
                return;
            }
        }
        endLocally("overloaded_error", "claude-lb is shutting down; the response is incomplete. Retry the request.",
                Outcome.CUT_BY_SHUTDOWN);
    }

    /** Ends this caller's answer with claude-lb's own words: an error event, a cut, or a 503 before any head. */
    private void endLocally(String errorType, String message, Outcome outcome) {
        if (streamedHead) {
            String separator = tail.separator();
            if (!separator.isEmpty()) {
                sink.content(new DefaultHttpContent(Unpooled.copiedBuffer(separator, StandardCharsets.US_ASCII)));
            }
            sink.fail(new DefaultLastHttpContent(AnthropicErrors.sseEvent(sink.alloc(), errorType, message)));
        } else if (headSent) {
            sink.abort();
        } else {
            FullHttpResponse res = LocalResponses.error(sink.alloc(), 503, errorType, message);
            res.headers().set(LocalResponses.REQUEST_ID, record.requestId());
            record.answeredLocally(503, clock.nanoTime() - record.startNanos());
            sink.whole(res);
        }
        record.outcome(outcome);
        finish();
    }

    /** How a caller's answer ended that the call's own broken ending ended: cut by the shutdown, or mid-stream. */
    private Outcome callBroken() {
        return callCutByShutdown() ? Outcome.CUT_BY_SHUTDOWN : Outcome.FAILED_MID_STREAM;
    }

    private boolean callCutByShutdown() {
        CoalescedCall c = call;
        return c != null && c.cutByShutdown();
    }

    private void answerOver(Outcome outcome) {
        if (outcome != Outcome.COMPLETED) {
            record.outcome(outcome);
        }
        finish();
    }

    private void finish() {
        releaseHeld();
        over = true;
        endNanos = clock.nanoTime();
        sink.onWritable(null);
        CoalescedCall c = call;
        if (c != null) {
            c.detach(this);
        }
        maybeTell();
    }

    // ---- joining and the call's facts -----------------------------------------------------------------------

    /**
     * The call could no longer take this caller (it ended, or outgrew its replay buffer, between the lookup and
     * the attach): the request is answered alone instead.
     */
    void missed() {
        if (!loop.inEventLoop()) {
            loop.execute(this::missed);
            return;
        }
        if (over || aloneRunning != null) {
            return;
        }
        sink.onWritable(null);
        held = null;
        aloneRunning = alone.get();
    }

    /** What the upstream call found out (attempts, upstream, usage), once it is over. */
    void callFacts(ExchangeEvent call) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> callFacts(call));
            return;
        }
        facts = call;
        maybeTell();
    }

    private void maybeTell() {
        if (!over || facts == null || emitted || aloneRunning != null) {
            return;
        }
        emitted = true;
        record.adopt(facts);
        record.bytes(bytes);
        observers.exchangeEnded(record.toEvent(endNanos));
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private void writable() {
        CoalescedCall c = call;
        if (c != null) {
            c.subscriberWritable();
        }
    }

    private void count(int n) {
        bytes += n;
        if (role != CoalescingRole.LEADER) {
            stats.bytesFannedOut.add(n);
        }
    }

    /** A copy of the call's head with this caller's request id and role. */
    private HttpResponse ownHead(HttpResponse head) {
        HttpHeaders headers = head.headers().copy();
        headers.set(LocalResponses.REQUEST_ID, record.requestId());
        headers.set(ROLE_HEADER, role.wireName());
        return new DefaultHttpResponse(head.protocolVersion(), head.status(), headers);
    }

    private static boolean isStream(HttpResponse head) {
        String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return head.status().code() == 200 && type != null
                && AsciiString.regionMatches(type, true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
    }
}
