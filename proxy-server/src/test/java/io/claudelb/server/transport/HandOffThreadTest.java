package io.claudelb.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.blocking.BlockingCalls;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Event loops hand work to a {@link HandOffThread} without ever parking, even while its worker takes tasks as fast
 * as they come: the moment a lock-based queue makes the loop wait for the worker (the blocking-call detector saw a
 * loop park in {@code LinkedBlockingQueue.offer} handing a /metrics query to the control plane).
 */
class HandOffThreadTest {
    private static final int TASKS = 200_000;

    private EventLoopGroup loops;
    private ExecutorService worker;

    @BeforeEach
    void start() {
        BlockingCalls.install();
        loops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        worker = HandOffThread.named("test-hand-off");
    }

    @AfterEach
    void stop() {
        worker.shutdownNow();
        loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void twoLoopsHandingOffAsFastAsTheWorkerTakesNeverPark() throws Exception {
        BlockingCalls.drain();
        CountDownLatch ran = new CountDownLatch(2 * TASKS);
        CountDownLatch handedOff = new CountDownLatch(2);
        for (int l = 0; l < 2; l++) {
            loops.next().execute(() -> {
                for (int i = 0; i < TASKS; i++) {
                    worker.execute(ran::countDown);
                }
                handedOff.countDown();
            });
        }

        assertThat(handedOff.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.await(60, TimeUnit.SECONDS)).as("every task ran").isTrue();
        assertThat(BlockingCalls.drain()).as("blocking calls on the loops").isEmpty();
    }

    @Test
    void itsThreadIsANamedDaemon() throws Exception {
        Thread thread = worker.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);

        assertThat(thread.getName()).isEqualTo("test-hand-off");
        assertThat(thread.isDaemon()).isTrue();
    }
}
