package io.claudelb.server.coalesce;

import io.claudelb.core.config.DedupSettings;
import io.claudelb.server.exchange.AttemptLoop;
import io.claudelb.server.exchange.ResponseSink;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One upstream call shared by every caller of an identical request: the fan-out {@link ResponseSink} of the leader's
 * {@link AttemptLoop}. Each piece of the answer goes to every {@link Subscriber} (the leader's own client among
 * them) as a retained duplicate, and is kept, up to {@code dedup.max_replay_bytes}, for callers who join later: they
 * get everything from the first byte, then live. The upstream is read at the pace of the fastest caller: the sink is
 * writable while any caller is. Beyond the replay cap the call takes no new callers and lets its buffer go.
 *
 * <p>When every caller has left, the call goes on for {@code dedup.linger}, so the caller's own retry (Claude Code
 * resends after a dropped connection) attaches instead of paying again; then it is cancelled, which is not an
 * upstream failure. A call that completes within that window stays available, complete, until the window ends. A
 * complete successful answer may also be kept for {@code dedup.replay_ttl} ({@link CompletedAnswer}).
 *
 * <p>Threads: the call lives on the leader's event loop; {@link #tryJoin} and {@link #subscriberWritable} may be
 * called from any loop and hand over to it. It owns its replay pieces and releases them itself (never a cache's
 * eviction).
 */
final class CoalescedCall implements ResponseSink, ExchangeObserver {
    private final CoalescingKey key;
    private final boolean stream;
    private final EventLoop loop;
    private final ByteBufAllocator alloc;
    private final DedupSettings settings;
    private final CoalescingRegistry registry;
    private final List<Subscriber> listening = new ArrayList<>(2);
    /** Everyone who ever attached: all of them hear the call's facts. */
    private final List<Subscriber> everyone = new ArrayList<>(2);
    private final List<Piece> replay = new ArrayList<>();
    private long replayBytes;
    private boolean replayGone;
    private AttemptLoop upstream;
    private Runnable resume;
    private ScheduledFuture<?> linger;
    private boolean ended;
    private boolean endedWell;
    private ExchangeEvent facts;
    /** The facts of this call's kept answer, when it ended well and replays are on; null otherwise. */
    private CallFacts keptFacts;
    private volatile boolean joinable = true;
    /** The shutdown grace ended the call: its ending (an error event, a cut, a 503) is the shutdown's, not a fault. */
    private volatile boolean cutByShutdown;

    /**
     * @param stream the leader asked for a stream (a streaming caller never waits behind a JSON call)
     * @param alloc  allocator for bytes the exchange makes for this call (error events)
     */
    CoalescedCall(CoalescingKey key, boolean stream, EventLoop loop, ByteBufAllocator alloc, DedupSettings settings,
                  CoalescingRegistry registry) {
        this.key = key;
        this.stream = stream;
        this.loop = loop;
        this.alloc = alloc;
        this.settings = settings;
        this.registry = registry;
    }

    /** Whether a caller that does (or does not) want a stream may join now (any thread). */
    boolean accepts(boolean wantsStream) {
        return joinable && (stream || !wantsStream);
    }

    /** Starts the upstream call with its leader attached. On the call's loop. */
    void start(AttemptLoop loopOfCall, Subscriber leader) {
        this.upstream = loopOfCall;
        leader.attachedTo(this);
        listening.add(leader);
        everyone.add(leader);
        loopOfCall.start();
    }

    /**
     * Asks to attach {@code follower} (any thread). False when the call takes no one any more; true means the call's
     * loop will attach it, or tell it {@link Subscriber#missed()} if the call ended in between.
     */
    boolean tryJoin(Subscriber follower) {
        if (!joinable) {
            return false;
        }
        loop.execute(() -> attach(follower));
        return true;
    }

    private void attach(Subscriber s) {
        if (replayGone || s.isOver()) {
            if (!s.isOver()) {
                s.missed();
            }
            return;
        }
        if (linger != null) {
            linger.cancel(false);
            linger = null;
            registry.stats().lingerHits.increment();
        }
        s.attachedTo(this);
        everyone.add(s);
        if (!ended) {
            listening.add(s);
        }
        List<Piece> copies = new ArrayList<>(replay.size());
        for (Piece p : replay) {
            copies.add(p.duplicate());
        }
        s.offer(copies);
        if (facts != null) {
            s.callFacts(facts);
        }
    }

    /** A caller's answer is over or it left. On any loop. */
    void detach(Subscriber s) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> detach(s));
            return;
        }
        if (!listening.remove(s) || ended) {
            return;
        }
        if (listening.isEmpty()) {
            startLinger();
            // Nobody may be waiting to take more now: read on while lingering.
            subscriberWritable();
        }
    }

    // ---- the sink the leader's exchange writes to -----------------------------------------------------------

    @Override
    public void head(HttpResponse head) {
        deliver(Piece.head(head));
    }

    @Override
    public void content(HttpContent content) {
        deliver(Piece.content(content.content()));
    }

    @Override
    public void end(LastHttpContent last) {
        deliver(Piece.end(Piece.Kind.END, last.content(), last.trailingHeaders()));
    }

    @Override
    public void fail(LastHttpContent errorTail) {
        deliver(Piece.end(Piece.Kind.FAIL, errorTail.content(), errorTail.trailingHeaders()));
    }

    @Override
    public void abort() {
        deliver(Piece.abort());
    }

    @Override
    public void whole(FullHttpResponse response) {
        deliver(Piece.whole(response, response.content()));
    }

    /** Callers flush each piece they write: one piece per upstream read batch. */
    @Override
    public void flush() {
    }

    @Override
    public boolean isWritable() {
        if (listening.isEmpty()) {
            return true;
        }
        for (Subscriber s : listening) {
            if (s.isWritable()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onWritable(Runnable r) {
        this.resume = r;
    }

    @Override
    public long pendingBytes() {
        return 0;
    }

    @Override
    public ByteBufAllocator alloc() {
        return alloc;
    }

    /** Some caller can take more: the relay may read the upstream again. On any loop. */
    void subscriberWritable() {
        if (!loop.inEventLoop()) {
            loop.execute(this::subscriberWritable);
            return;
        }
        Runnable r = resume;
        if (r != null) {
            r.run();
        }
    }

    private void deliver(Piece piece) {
        // A caller on this loop handles its piece at once, and may detach while we go: walk a copy.
        Subscriber[] targets = listening.toArray(new Subscriber[0]);
        Piece[] copies = new Piece[targets.length];
        for (int i = 0; i < targets.length; i++) {
            copies[i] = piece.duplicate();
        }
        if (piece.ends()) {
            // Before the callers hear it: one that detaches on this ending must not start the linger.
            ended = true;
            endedWell = piece.endsWell();
            joinable = false;
            listening.clear();
        }
        keepOrRelease(piece);
        if (endedWell && !replayGone && !settings.replayTtl().isZero()) {
            // Kept before the last piece reaches any client: a caller that resends the moment its answer is
            // complete finds it kept, and never pays for a second upstream call.
            keptFacts = new CallFacts(loop);
            registry.keepCompleted(key, CompletedAnswer.of(replay, stream), keptFacts);
        }
        for (int i = 0; i < targets.length; i++) {
            targets[i].offer(copies[i]);
        }
    }

    private void keepOrRelease(Piece piece) {
        if (replayGone) {
            piece.release();
            return;
        }
        replay.add(piece);
        replayBytes += piece.size();
        if (replayBytes > settings.maxReplayBytes()) {
            // Too large to replay: callers already here go on live, nobody new joins.
            joinable = false;
            registry.forget(key, this);
            releaseReplay();
        }
    }

    // ---- endings --------------------------------------------------------------------------------------------

    /** The upstream call is over (its exchange's event): every caller hears its facts; the call cleans up. */
    @Override
    public void exchangeEnded(ExchangeEvent event) {
        facts = event;
        for (Subscriber s : everyone) {
            s.callFacts(event);
        }
        if (keptFacts != null) {
            keptFacts.known(event);
        }
        if (linger != null && endedWell && !replayGone) {
            // Completed while its callers were away: it stays available, complete, until the window ends.
            joinable = true;
            return;
        }
        close();
    }

    private void startLinger() {
        long nanos = settings.linger().toNanos();
        if (nanos <= 0) {
            cancelUpstream();
            return;
        }
        linger = loop.schedule(this::lingerOver, nanos, TimeUnit.NANOSECONDS);
    }

    private void lingerOver() {
        linger = null;
        if (!listening.isEmpty()) {
            return;
        }
        if (ended) {
            close();
        } else {
            cancelUpstream();
        }
    }

    /** Nobody listens and nobody came back in time: the upstream call stops (not a failure of the upstream). */
    private void cancelUpstream() {
        joinable = false;
        registry.forget(key, this);
        upstream.cancel();
    }

    /**
     * The leader's shutdown: the call ends for everyone (a stream with an error event). Marked first, so each caller
     * that the ending reaches records its request as cut by the shutdown.
     */
    void shutDownUpstream() {
        cutByShutdown = true;
        upstream.shutDown();
    }

    /** Whether the call's ending came from the shutdown (any thread; set before that ending is delivered). */
    boolean cutByShutdown() {
        return cutByShutdown;
    }

    private void close() {
        joinable = false;
        if (linger != null) {
            linger.cancel(false);
            linger = null;
        }
        registry.forget(key, this);
        releaseReplay();
    }

    private void releaseReplay() {
        replayGone = true;
        replay.forEach(Piece::release);
        replay.clear();
        replayBytes = 0;
    }
}
