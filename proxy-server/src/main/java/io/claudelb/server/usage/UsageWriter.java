package io.claudelb.server.usage;

import io.claudelb.core.config.StorageSettings;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes usage records on its own thread, in batches, from a bounded queue: event loops only {@link #offer} (a
 * lock-free queue and a counter; no lock, no wait, no system call in the common case).
 *
 * <p>When the database is slow or down, the batch in hand is kept and written again later, and new records wait
 * in the queue up to {@code storage.queue_capacity} (the batch in hand counts towards it); what does not fit is
 * dropped and counted ({@link StorageStats#dropped}), and logged at once and then at most once a minute, never
 * silently. The first time the database answers, the {@code onReady} hook runs (the limiter's budgets are restored
 * then, before this process writes anything, so nothing is counted twice). Every hour the writer deletes rows
 * older than {@code storage.retention}. {@link #close} writes what is queued within its grace.
 */
public final class UsageWriter implements StorageStats, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageWriter.class);
    private static final long LOG_EVERY_MILLIS = 60_000;
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Runs once on the writer thread, the first time the database is reachable and migrated. */
    @FunctionalInterface
    public interface ReadyHook {
        void ready(DataSource db) throws SQLException;
    }

    private final UsageDatabase database;
    private final StorageSettings settings;
    private final LongSupplier wallMillis;
    private final ReadyHook onReady;
    private final RecordQueue queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failedWrites = new AtomicLong();
    private final CountDownLatch readyLatch = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean databaseUp;
    private volatile boolean closing;
    private volatile boolean stopped;
    private volatile boolean maintenanceRequested;
    private volatile long closeDeadlineNanos = Long.MAX_VALUE;

    // Writer-thread state.
    private long droppedLogged;
    private long lastDropLogMillis = -LOG_EVERY_MILLIS;
    private long lastFailureLogMillis = -LOG_EVERY_MILLIS;
    private long nextMaintenanceMillis;
    private boolean hookDone;
    private UsageTables.HeldConnection held;

    public UsageWriter(UsageDatabase database, LongSupplier wallMillis, ReadyHook onReady) {
        this.database = database;
        this.settings = database.settings();
        this.wallMillis = wallMillis;
        this.onReady = onReady;
        this.queue = new RecordQueue(settings.queueCapacity());
        this.thread = new Thread(this::run, "claude-lb-usage-writer");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues a record. Called on event loops: never blocks.
     *
     * @return false when the queue was full and the record was dropped (and counted)
     */
    public boolean offer(UsageRecord record) {
        if (stopped) {
            queue.countDropped(1);
            return false;
        }
        int now = queue.offer(record);
        if (now < 0) {
            return false;
        }
        if (now == settings.batchSize()) {
            LockSupport.unpark(thread); // a full batch is waiting: no need to wait for the flush interval
        }
        return true;
    }

    /** Waits (bounded) until the database answered once and the ready hook ran; false on timeout. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return readyLatch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asks the writer thread to run the retention purge now (normally hourly). */
    public void requestMaintenance() {
        maintenanceRequested = true;
        LockSupport.unpark(thread);
    }

    private void run() {
        try {
            writeUntilClosed();
        } finally {
            release();
            stopped = true;
        }
    }

    private void writeUntilClosed() {
        List<UsageRecord> batch = new ArrayList<>(settings.batchSize());
        long backoff = 0;
        while (true) {
            logDropsIfDue();
            if (batch.isEmpty()) {
                queue.drainTo(batch, settings.batchSize());
            }
            if (batch.isEmpty() && closing) {
                return;
            }
            try {
                DataSource db = database.ready();
                if (!hookDone) {
                    onReady.ready(db);
                    hookDone = true;
                    readyLatch.countDown();
                }
                if (!batch.isEmpty()) {
                    int inserted = UsageTables.write(heldConnection(db), batch);
                    written.addAndGet(inserted);
                    queue.done(batch.size());
                    batch.clear();
                }
                recovered();
                backoff = 0;
                maintainIfDue(db);
            } catch (SQLException | RuntimeException e) {
                release(); // a broken connection is discarded by the pool; a sound one is simply taken again
                backoff = backoff == 0 ? FIRST_BACKOFF_NANOS : Math.min(MAX_BACKOFF_NANOS, backoff * 2);
                failed(e, batch.size());
                if (closing && pastDeadline()) {
                    giveUp(batch);
                    return;
                }
                LockSupport.parkNanos(this, backoff);
                continue;
            }
            if (queue.isEmpty() && !closing) {
                release(); // idle: the pool has it back (its lifetime and validation rules apply) until the next batch
                LockSupport.parkNanos(this, settings.flushInterval().toNanos());
            }
        }
    }

    /** The writer's connection, held across batches while there is more to write (its statements prepared once). */
    private UsageTables.HeldConnection heldConnection(DataSource db) throws SQLException {
        if (held == null) {
            held = new UsageTables.HeldConnection(db);
        }
        return held;
    }

    private void release() {
        if (held != null) {
            held.close();
            held = null;
        }
    }

    private void recovered() {
        if (!databaseUp) {
            databaseUp = true;
            if (failedWrites.get() > 0) {
                LOG.info("usage database {} is back; {} record(s) waiting are being written", settings.displayUrl(),
                        queue.pending());
            }
        }
    }

    private void failed(Exception e, int inHand) {
        boolean wasUp = databaseUp;
        databaseUp = false;
        if (inHand > 0) {
            failedWrites.incrementAndGet();
        }
        long now = wallMillis.getAsLong();
        if (wasUp || now - lastFailureLogMillis >= LOG_EVERY_MILLIS) {
            lastFailureLogMillis = now;
            LOG.warn("usage database {} unavailable ({}); {} record(s) waiting (queue holds {}), the proxy keeps "
                    + "serving", settings.displayUrl(), reason(e), queue.pending(), settings.queueCapacity());
        }
    }

    private void logDropsIfDue() {
        long total = queue.dropped();
        long now = wallMillis.getAsLong();
        if (total > droppedLogged && now - lastDropLogMillis >= LOG_EVERY_MILLIS) {
            LOG.warn("usage: {} record(s) dropped since the last report ({} in all): the queue of {} was full{}",
                    total - droppedLogged, total, settings.queueCapacity(),
                    databaseUp ? " (the database is slower than the traffic)" : " while the database was unavailable");
            droppedLogged = total;
            lastDropLogMillis = now;
        }
    }

    private void maintainIfDue(DataSource db) throws SQLException {
        long now = wallMillis.getAsLong();
        if (!maintenanceRequested && now < nextMaintenanceMillis) {
            return;
        }
        maintenanceRequested = false;
        nextMaintenanceMillis = now + UsageTables.HOUR_MILLIS;
        // On the writer's own connection: the pool's other one stays free for reports.
        int deleted = UsageTables.purge(heldConnection(db), now - settings.retention().toMillis());
        if (deleted > 0) {
            LOG.info("usage: deleted {} row(s) older than {} (their hourly totals are kept)", deleted,
                    io.claudelb.core.config.Durations.format(settings.retention()));
        }
    }

    private void giveUp(List<UsageRecord> batch) {
        int lost = batch.size();
        batch.clear();
        queue.done(lost);
        queue.countDropped(lost);
        lost += queue.dropAll();
        LOG.error("usage: shutting down with the database unavailable; {} record(s) were not written", lost);
    }

    private boolean pastDeadline() {
        return System.nanoTime() - closeDeadlineNanos >= 0;
    }

    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Writes what is queued (for up to {@code grace}), then stops the thread. Blocks the caller. */
    public void close(Duration grace) {
        closeDeadlineNanos = System.nanoTime() + grace.toNanos();
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(Math.max(1, grace.toMillis() + 6_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        logDropsNow();
    }

    private void logDropsNow() {
        long total = queue.dropped();
        if (total > droppedLogged) {
            LOG.warn("usage: {} record(s) dropped in all since start", total);
            droppedLogged = total;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    @Override
    public int pending() {
        return queue.pending();
    }

    @Override
    public long written() {
        return written.get();
    }

    @Override
    public long dropped() {
        return queue.dropped();
    }

    @Override
    public long failedWrites() {
        return failedWrites.get();
    }

    @Override
    public boolean databaseUp() {
        return databaseUp;
    }

    @Override
    public int capacity() {
        return settings.queueCapacity();
    }
}
