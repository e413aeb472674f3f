package io.claudelb.server.transport;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread that event loops hand work to. {@link java.util.concurrent.Executors#newSingleThreadExecutor}
 * queues on a {@code LinkedBlockingQueue}, whose {@code offer} takes a lock the worker also takes to wait: an event
 * loop handing work over while the worker is between tasks could park on that lock (the blocking-call detector
 * caught a loop doing so). A {@link LinkedTransferQueue} hands over with compare-and-set and wakes the worker
 * without a lock, so handing off never blocks the loop that does it.
 */
public final class HandOffThread {
    private HandOffThread() {
    }

    /** A single-thread executor whose thread is a daemon named {@code name}, queued without a lock. */
    public static ExecutorService named(String name) {
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedTransferQueue<>(), r -> {
                    Thread t = new Thread(r, name);
                    t.setDaemon(true);
                    return t;
                });
        // Started here, so no loop's first hand-off starts it under the executor's own lock.
        executor.prestartCoreThread();
        return executor;
    }
}
