package io.claudelb.server.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.PoolSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.support.FakeClock;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pool's contract, over embedded channels whose readiness the test decides: most-recent reuse, the connection
 * bound, waiters and their timeout, idle and lifetime expiry, and never pooling a connection whose response was not
 * read completely.
 */
class BackendPoolTest {
    private final EmbeddedChannel loopChannel = new EmbeddedChannel();
    private final EventLoop loop = loopChannel.eventLoop();
    private final FakeClock clock = new FakeClock();
    /** Connections the pool asked for, in order, and the promises that make them ready. */
    private final List<EmbeddedChannel> opened = new ArrayList<>();
    private final List<Promise<Channel>> readiness = new ArrayList<>();
    private boolean readyAtOnce = true;

    private final Connector connector = (upstream, eventLoop, onOpen) -> {
        EmbeddedChannel ch = new EmbeddedChannel(new BackendReceiver());
        opened.add(ch);
        onOpen.accept(ch);
        Promise<Channel> ready = loop.newPromise();
        readiness.add(ready);
        if (readyAtOnce) {
            ready.setSuccess(ch);
        }
        return ready;
    };

    BackendPoolTest() {
        // The loop's scheduler moves only when the test advances it.
        loopChannel.freezeTime();
    }

    private BackendPool pool(int maxConnections, int maxPending) {
        PoolSettings settings = new PoolSettings(maxConnections, maxPending, Duration.ofSeconds(2),
                Duration.ofSeconds(60), Duration.ofMinutes(10));
        UpstreamConfig upstream = UpstreamConfig.builder("up", UpstreamKind.ANTHROPIC).baseUrl("http://127.0.0.1:1")
                .pool(settings).build();
        return new BackendPool(upstream, loop, connector, clock);
    }

    @AfterEach
    void close() {
        opened.forEach(EmbeddedChannel::finishAndReleaseAll);
        loopChannel.finishAndReleaseAll();
    }

    private void advance(Duration by) {
        clock.advance(by);
        loopChannel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        loopChannel.runScheduledPendingTasks();
    }

    @Test
    void theMostRecentlyReleasedConnectionIsReusedFirst() {
        BackendPool pool = pool(4, 4);
        Channel a = pool.acquire().getNow();
        Channel b = pool.acquire().getNow();
        assertThat(opened).hasSize(2);
        pool.release(a, true);
        pool.release(b, true);
        assertThat(pool.idleConnections()).isEqualTo(2);
        assertThat(pool.acquire().getNow()).as("LIFO: the warmest connection").isSameAs(b);
        assertThat(pool.acquire().getNow()).isSameAs(a);
        assertThat(opened).as("no new connection while idle ones were there").hasSize(2);
    }

    @Test
    void aConnectionWhoseResponseWasNotReadCompletelyIsClosedNeverPooled() {
        BackendPool pool = pool(4, 4);
        Channel a = pool.acquire().getNow();
        pool.release(a, false);
        assertThat(a.isOpen()).isFalse();
        assertThat(pool.idleConnections()).isZero();
        assertThat(pool.openConnections()).isZero();
        Channel next = pool.acquire().getNow();
        assertThat(next).isNotSameAs(a);
    }

    @Test
    void aReleasedConnectionIsDetachedFromItsUserAndKeepsAReadPending() {
        BackendPool pool = pool(4, 4);
        Channel a = pool.acquire().getNow();
        List<Object> heard = new ArrayList<>();
        BackendReceiver.of(a).attach(new BackendReceiver.Listener() {
            @Override
            public void onRead(Object msg) {
                heard.add(msg);
            }

            @Override
            public void onReadComplete() {
            }

            @Override
            public void onClosed(Throwable cause) {
                heard.add("closed");
            }
        });
        pool.release(a, true);
        // Bytes on an idle pooled connection are unasked for: the receiver closes it, the pool forgets it.
        ((EmbeddedChannel) a).writeInbound("stray");
        assertThat(heard).as("the previous user hears nothing").isEmpty();
        assertThat(a.isOpen()).isFalse();
        assertThat(pool.idleConnections()).isZero();
        assertThat(pool.openConnections()).isZero();
    }

    @Test
    void atTheBoundRequestsWaitAndGetTheNextReleasedConnection() {
        BackendPool pool = pool(1, 2);
        Channel a = pool.acquire().getNow();
        Future<Channel> waiting = pool.acquire();
        assertThat(waiting.isDone()).isFalse();
        assertThat(opened).as("open plus connecting never exceeds max_connections").hasSize(1);
        pool.release(a, true);
        assertThat(waiting.getNow()).isSameAs(a);
    }

    @Test
    void aWaiterGetsANewConnectionWhenABusyOneCloses() {
        BackendPool pool = pool(1, 2);
        Channel a = pool.acquire().getNow();
        Future<Channel> waiting = pool.acquire();
        pool.release(a, false);
        assertThat(waiting.isSuccess()).isTrue();
        assertThat(waiting.getNow()).isNotSameAs(a);
        assertThat(opened).hasSize(2);
        assertThat(pool.openConnections()).isEqualTo(1);
    }

    @Test
    void waitersBeyondTheQueueFailAtOnceAndQueuedOnesAfterTheAcquireTimeout() {
        BackendPool pool = pool(1, 1);
        pool.acquire();
        Future<Channel> queued = pool.acquire();
        Future<Channel> refused = pool.acquire();
        assertThat(refused.cause()).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("waiting");
        advance(Duration.ofMillis(1999));
        assertThat(queued.isDone()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(queued.cause()).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("2000 ms");
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeoutOnlyWhilePooled() {
        BackendPool pool = pool(4, 4);
        Channel a = pool.acquire().getNow();
        pool.release(a, true);
        advance(Duration.ofSeconds(59));
        assertThat(a.isOpen()).isTrue();
        advance(Duration.ofSeconds(31));
        assertThat(a.isOpen()).as("swept after idle_timeout").isFalse();
        assertThat(pool.idleConnections()).isZero();
    }

    @Test
    void aConnectionPastItsMaxLifetimeIsClosedInsteadOfReused() {
        BackendPool pool = pool(4, 4);
        Channel a = pool.acquire().getNow();
        clock.advance(Duration.ofMinutes(10));
        pool.release(a, true);
        assertThat(a.isOpen()).as("too old to pool").isFalse();
        Channel b = pool.acquire().getNow();
        pool.release(b, true);
        clock.advance(Duration.ofMinutes(10));
        Channel c = pool.acquire().getNow();
        assertThat(c).as("expired while pooled: not handed out").isNotSameAs(b);
        assertThat(b.isOpen()).isFalse();
    }

    @Test
    void aConnectionThatNeverBecomesReadyFailsTheAcquireAndFreesItsSlot() {
        readyAtOnce = false;
        BackendPool pool = pool(1, 1);
        Future<Channel> first = pool.acquire();
        readiness.get(0).setFailure(new javax.net.ssl.SSLException("handshake failed"));
        opened.get(0).close();
        assertThat(first.cause()).isInstanceOf(javax.net.ssl.SSLException.class);
        assertThat(pool.openConnections()).isZero();
        readyAtOnce = true;
        assertThat(pool.acquire().isSuccess()).isTrue();
    }

    @Test
    void closingThePoolClosesIdleConnectionsAndFailsWaiters() {
        BackendPool pool = pool(1, 1);
        Channel a = pool.acquire().getNow();
        Future<Channel> waiting = pool.acquire();
        pool.close();
        assertThat(waiting.cause()).isInstanceOf(PoolExhaustedException.class).hasMessageContaining("shutting down");
        pool.release(a, true);
        assertThat(a.isOpen()).as("a connection in use closes when it comes back").isFalse();
        assertThat(pool.acquire().cause()).isInstanceOf(PoolExhaustedException.class);
    }
}
