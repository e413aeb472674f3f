package io.claudelb.server.backend;

import io.claudelb.core.config.PoolSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * The keep-alive connections to one upstream owned by one event loop. Every method runs on that loop, so there are
 * no locks: a client channel's exchange acquires from its own loop's pool and the backend channel shares the loop.
 *
 * <p>Contract: at most {@code max_connections} open plus connecting; reuse the most recently released connection
 * first; at most {@code max_pending_acquires} waiters, each failing after {@code acquire_timeout}; a connection idle
 * for {@code idle_timeout} (checked by a sweep that runs only while something is pooled) or older than
 * {@code max_lifetime} is closed instead of reused; a connection is only returned when its response was fully read.
 */
public final class BackendPool {
    private static final AttributeKey<Long> CREATED_AT = AttributeKey.valueOf("claudelb.created-at");
    private static final AttributeKey<Long> POOLED_AT = AttributeKey.valueOf("claudelb.pooled-at");

    private final UpstreamConfig upstream;
    private final EventLoop loop;
    private final Connector connector;
    private final NanoClock clock;
    private final PoolSettings settings;
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private int open;
    private boolean sweepScheduled;
    private boolean closed;

    private final class Waiter {
        final Promise<Channel> promise;
        final ScheduledFuture<?> timeout;

        Waiter(Promise<Channel> promise) {
            this.promise = promise;
            this.timeout = loop.schedule(this::expire, settings.acquireTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        void expire() {
            if (waiters.remove(this)) {
                promise.tryFailure(new PoolExhaustedException("no connection to upstream '" + upstream.name()
                        + "' became free within " + settings.acquireTimeout().toMillis() + " ms"));
            }
        }
    }

    BackendPool(UpstreamConfig upstream, EventLoop loop, Connector connector, NanoClock clock) {
        this.upstream = upstream;
        this.loop = loop;
        this.connector = connector;
        this.clock = clock;
        this.settings = upstream.pool();
    }

    public UpstreamConfig upstream() {
        return upstream;
    }

    /** A connected (and TLS-ready) channel for one exchange; must be given back with {@link #release}. */
    public Future<Channel> acquire() {
        assert loop.inEventLoop();
        Promise<Channel> promise = loop.newPromise();
        if (closed) {
            return promise.setFailure(new PoolExhaustedException("upstream '" + upstream.name() + "' is shutting down"));
        }
        long now = clock.nanoTime();
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive() && !expired(ch, now)) {
                return promise.setSuccess(ch);
            }
            ch.close();
        }
        if (open < settings.maxConnections()) {
            connect(promise);
        } else if (waiters.size() < settings.maxPendingAcquires()) {
            waiters.addLast(new Waiter(promise));
        } else {
            promise.setFailure(new PoolExhaustedException("upstream '" + upstream.name() + "' has "
                    + open + " connections and " + waiters.size() + " waiting requests on this event loop"));
        }
        return promise;
    }

    /**
     * Gives a channel back. {@code reusable} is true only when the response was read completely and the upstream did
     * not ask to close; anything else is closed, never pooled. The channel's user is detached either way.
     */
    public void release(Channel ch, boolean reusable) {
        assert loop.inEventLoop();
        BackendReceiver receiver = BackendReceiver.of(ch);
        if (receiver != null) {
            receiver.detach();
        }
        if (!reusable || closed || !ch.isActive() || expired(ch, clock.nanoTime())) {
            ch.close();
            return;
        }
        // Keep a read pending while the connection is reused or pooled. With auto-read off, a connection without a
        // pending read has its epoll interest in input dropped after each read batch and set again on the next
        // request's read(): two epoll_ctl calls per exchange. Pending, the next exchange's read() is free, and
        // anything the upstream sends while the connection is pooled reaches the receiver, which closes it.
        ch.read();
        Waiter waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            waiter.timeout.cancel(false);
            if (waiter.promise.trySuccess(ch)) {
                return;
            }
        }
        ch.attr(POOLED_AT).set(clock.nanoTime());
        idle.addFirst(ch);
        scheduleSweep();
    }

    private void connect(Promise<Channel> promise) {
        open++;
        Future<Channel> ready = connector.open(upstream, loop, ch -> {
            ch.attr(CREATED_AT).set(clock.nanoTime());
            ch.closeFuture().addListener(f -> onClosed(ch));
        });
        ready.addListener(f -> {
            if (f.isSuccess()) {
                Channel ch = ready.getNow();
                if (!promise.trySuccess(ch)) {
                    release(ch, true);
                }
            } else {
                promise.tryFailure(f.cause());
            }
        });
    }

    private void onClosed(Channel ch) {
        open--;
        idle.remove(ch);
        if (!closed && open < settings.maxConnections()) {
            Waiter waiter = waiters.pollFirst();
            if (waiter != null) {
                waiter.timeout.cancel(false);
                connect(waiter.promise);
            }
        }
    }

    private boolean expired(Channel ch, long now) {
        Long created = ch.attr(CREATED_AT).get();
        return created != null && now - created >= settings.maxLifetime().toNanos();
    }

    private void scheduleSweep() {
        if (!sweepScheduled) {
            sweepScheduled = true;
            long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), settings.idleTimeout().toNanos() / 2);
            loop.schedule(this::sweep, every, TimeUnit.NANOSECONDS);
        }
    }

    private void sweep() {
        sweepScheduled = false;
        long now = clock.nanoTime();
        long idleLimit = settings.idleTimeout().toNanos();
        for (Iterator<Channel> it = idle.iterator(); it.hasNext(); ) {
            Channel ch = it.next();
            Long pooledAt = ch.attr(POOLED_AT).get();
            if (!ch.isActive() || expired(ch, now) || pooledAt != null && now - pooledAt >= idleLimit) {
                it.remove();
                ch.close();
            }
        }
        if (!idle.isEmpty()) {
            scheduleSweep();
        }
    }

    /** Closes idle connections and fails waiters; channels in use close when their exchange ends. */
    public void close() {
        assert loop.inEventLoop();
        closed = true;
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            ch.close();
        }
        Waiter waiter;
        while ((waiter = waiters.pollFirst()) != null) {
            waiter.timeout.cancel(false);
            waiter.promise.tryFailure(new PoolExhaustedException("upstream '" + upstream.name() + "' is shutting down"));
        }
    }

    /** Open plus connecting connections (for stats and tests). */
    public int openConnections() {
        return open;
    }

    public int idleConnections() {
        return idle.size();
    }

    /** Acquires waiting for a connection to become free. */
    public int pendingAcquires() {
        return waiters.size();
    }
}
