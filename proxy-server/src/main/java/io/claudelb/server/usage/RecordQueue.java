package io.claudelb.server.usage;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue between the event loops and the usage writer: many producers, one consumer, no lock (a
 * {@link ConcurrentLinkedQueue} and a counter). The bound counts records accepted and not yet committed, so the
 * batch the writer holds while the database is down counts too: at most {@code capacity} records are ever waiting,
 * and every record refused beyond that is counted.
 */
public final class RecordQueue {
    private final int capacity;
    private final Queue<UsageRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    public RecordQueue(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Queues a record unless {@code capacity} are waiting already (then counts it as dropped).
     *
     * @return how many are waiting with this one, or -1 when it was dropped
     */
    public int offer(UsageRecord record) {
        int now = pending.incrementAndGet();
        if (now > capacity) {
            pending.decrementAndGet();
            dropped.increment();
            return -1;
        }
        queue.offer(record);
        return now;
    }

    /** Moves up to {@code max} queued records into {@code batch} (the consumer's side). */
    public void drainTo(List<UsageRecord> batch, int max) {
        UsageRecord r;
        while (batch.size() < max && (r = queue.poll()) != null) {
            batch.add(r);
        }
    }

    /** {@code n} drained records were committed (or given up and counted as dropped). */
    public void done(int n) {
        pending.addAndGet(-n);
    }

    /** Gives up every queued record (shutdown with no database): counts them as dropped. */
    int dropAll() {
        int lost = 0;
        while (queue.poll() != null) {
            lost++;
        }
        done(lost);
        dropped.add(lost);
        return lost;
    }

    void countDropped(int n) {
        dropped.add(n);
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    public int pending() {
        return pending.get();
    }

    public long dropped() {
        return dropped.sum();
    }

    int capacity() {
        return capacity;
    }
}
