package io.claudelb.server.support;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ScheduledExecutorService} on virtual time (tests only): {@code execute} runs the task at once on the
 * caller's thread, {@code schedule} queues it until the test calls {@link #runNext()}, which moves the shared
 * epoch-millisecond clock to the task's due time and runs it. A schedule that re-arms itself too soon (a tight
 * refresh loop) thus shows as virtual time that does not move, and never spins a real thread. Single-threaded: one
 * test drives it.
 */
public final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private final AtomicLong nowMillis;
    private final PriorityQueue<Scheduled<?>> queue = new PriorityQueue<>();
    private long sequence;
    private boolean shutdown;

    /** @param nowMillis the virtual wall clock, shared with the code under test */
    public ManualScheduler(AtomicLong nowMillis) {
        this.nowMillis = nowMillis;
    }

    /**
     * Runs the earliest scheduled task that is not cancelled, first moving the clock to its due time (never back).
     * Returns false when none is left.
     */
    public boolean runNext() {
        Scheduled<?> next;
        do {
            next = queue.poll();
        } while (next != null && next.isCancelled());
        if (next == null) {
            return false;
        }
        nowMillis.accumulateAndGet(next.dueMillis, Math::max);
        next.run();
        try {
            next.get();
        } catch (CancellationException e) {
            // Cancelled while it ran (by its own re-scheduling, as the real executor allows): it did run.
        } catch (ExecutionException e) {
            throw new AssertionError("a scheduled task failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return true;
    }

    /** Tasks waiting to run, cancelled ones excluded. */
    public long pending() {
        return queue.stream().filter(s -> !s.isCancelled()).count();
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return enqueue(new Scheduled<>(() -> {
            command.run();
            return null;
        }, nowMillis.get() + unit.toMillis(delay), sequence++));
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return enqueue(new Scheduled<>(callable, nowMillis.get() + unit.toMillis(delay), sequence++));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay,
                                                     TimeUnit unit) {
        throw new UnsupportedOperationException("not used by the code under test");
    }

    private <V> Scheduled<V> enqueue(Scheduled<V> task) {
        queue.add(task);
        return task;
    }

    @Override
    public void shutdown() {
        shutdown = true;
        queue.clear();
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown();
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return shutdown;
    }

    /** A queued task, ordered by due time then by scheduling order. */
    private final class Scheduled<V> extends FutureTask<V> implements ScheduledFuture<V> {
        private final long dueMillis;
        private final long order;

        Scheduled(Callable<V> callable, long dueMillis, long order) {
            super(callable);
            this.dueMillis = dueMillis;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueMillis - nowMillis.get(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            Scheduled<?> o = (Scheduled<?>) other;
            int byDue = Long.compare(dueMillis, o.dueMillis);
            return byDue != 0 ? byDue : Long.compare(order, o.order);
        }
    }
}
