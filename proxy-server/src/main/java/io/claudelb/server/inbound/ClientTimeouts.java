package io.claudelb.server.inbound;

import io.claudelb.core.config.ServerSettings;
import io.claudelb.server.http.LocalResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code client-timeouts}: the two clocks of a client connection, from where it stands between requests.
 * <ul>
 *   <li><b>waiting</b> (connected, or the last answer complete): after {@code idle_timeout} with no new request the
 *       connection is closed;</li>
 *   <li><b>receiving</b> (the first byte of a request read, the request not yet complete): a request slower than
 *       {@code header_read_timeout} gets 408 and the connection is closed, so slow-loris clients cannot pin memory;</li>
 *   <li><b>answering</b> (the request guard has the whole request, until the exchange handler or a local answer says
 *       the answer is complete): no clock runs, however long a stream lasts.</li>
 * </ul>
 *
 * <p>Sits before the HTTP codec and watches raw reads; it never touches writes, so a relayed chunk costs it nothing
 * (Netty's {@code IdleStateHandler} would add a promise and a listener to every write). The idle clock is one task per
 * {@code idle_timeout} per connection that re-arms itself from the time waiting began, not a timer per request; the
 * read clock is only armed when a request does not arrive in one read batch.
 *
 * <p>Both timeouts are read from the current config each time a clock is armed, so a reload applies them to open
 * connections too: the read clock from the next request, the idle clock from its next check (at the latest when the
 * old timeout would have run out).
 */
public final class ClientTimeouts extends ChannelInboundHandlerAdapter {
    private enum State { WAITING, RECEIVING, ANSWERING }

    private final Supplier<ServerSettings> settings;
    private final LocalAnswers answers;
    private ChannelHandlerContext ctx;
    private State state = State.WAITING;
    private long since;
    private ScheduledFuture<?> idleCheck;
    private ScheduledFuture<?> readTimer;

    /** @param settings the current server settings ({@code header_read_timeout}, {@code idle_timeout}) */
    public ClientTimeouts(Supplier<ServerSettings> settings, LocalAnswers answers) {
        this.settings = settings;
        this.answers = answers;
    }

    /** With fixed timeouts (tests). */
    public ClientTimeouts(long headerReadNanos, long idleNanos, LocalAnswers answers) {
        this(fixed(headerReadNanos, idleNanos), answers);
    }

    private static Supplier<ServerSettings> fixed(long headerReadNanos, long idleNanos) {
        ServerSettings s = ServerSettings.builder().headerReadTimeout(Duration.ofNanos(headerReadNanos))
                .idleTimeout(Duration.ofNanos(idleNanos)).build();
        return () -> s;
    }

    private long headerReadNanos() {
        return settings.get().headerReadTimeout().toNanos();
    }

    private long idleNanos() {
        return settings.get().idleTimeout().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        since = now();
        idleCheck = ctx.executor().schedule(this::checkIdle, idleNanos(), TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.WAITING) {
            state = State.RECEIVING;
            since = now();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (state == State.RECEIVING && readTimer == null) {
            long left = headerReadNanos() - (now() - since);
            readTimer = ctx.executor().schedule(this::expireRead, Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        ctx.fireChannelReadComplete();
    }

    /** The request is complete: no clock runs until its answer is. */
    public void requestReceived() {
        state = State.ANSWERING;
        cancelReadTimer();
    }

    /** The answer is complete: the connection waits for the next request, its idle clock running from now. */
    public void readyForNext() {
        state = State.WAITING;
        since = now();
        cancelReadTimer();
    }

    private void checkIdle() {
        if (!ctx.channel().isActive()) {
            idleCheck = null;
            return;
        }
        long quiet = now() - since;
        long idleNanos = idleNanos();
        if (state == State.WAITING && quiet >= idleNanos) {
            idleCheck = null;
            ctx.close();
            return;
        }
        long next = state == State.WAITING ? idleNanos - quiet : idleNanos;
        idleCheck = ctx.executor().schedule(this::checkIdle, next, TimeUnit.NANOSECONDS);
    }

    private void expireRead() {
        readTimer = null;
        if (state == State.RECEIVING && ctx.channel().isActive()) {
            // Through the whole pipeline (this handler sits before the codec). It sees raw bytes only, so the
            // request's method and path are not known here.
            answers.write(ctx.channel(), answers.record(LocalAnswers.UNKNOWN, LocalAnswers.UNKNOWN, null, now() - since),
                    LocalResponses.error(ctx.alloc(), 408, "The request did not arrive completely in time."))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void cancelReadTimer() {
        if (readTimer != null) {
            readTimer.cancel(false);
            readTimer = null;
        }
    }

    private void cancelAll() {
        cancelReadTimer();
        if (idleCheck != null) {
            idleCheck.cancel(false);
            idleCheck = null;
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelAll();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelAll();
        ctx.fireChannelInactive();
    }
}
