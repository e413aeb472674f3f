package io.claudelb.server.usage;

import io.claudelb.core.config.StorageSettings;
import io.claudelb.core.limit.BudgetPeriod;
import io.claudelb.core.limit.Limiter;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's usage storage: the database, its writer thread and its reports, started with the server and closed
 * after the event loops (so every event is in the queue) by {@code ProxyServer.stop}. A gateway without
 * {@code storage} gets {@link #disabled()}: records are not kept (and not counted as dropped), reports answer
 * that storage is off. {@code storage} changes need a restart.
 */
public final class UsageStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UsageStore.class);

    private final UsageDatabase database;
    private final UsageWriter writer;
    private final UsageReports reports;

    private UsageStore(UsageDatabase database, UsageWriter writer) {
        this.database = database;
        this.writer = writer;
        this.reports = database == null ? null : new UsageReports(() -> database.ready().getConnection());
    }

    /** A store that keeps nothing. */
    public static UsageStore disabled() {
        return new UsageStore(null, null);
    }

    /**
     * Starts the writer. When the database answers (normally at once), each client's spend of the current day, week
     * and month is read back into {@code limiter}, so budgets survive a restart.
     *
     * @param zone where budget periods begin
     */
    public static UsageStore start(StorageSettings settings, LongSupplier wallMillis, Limiter limiter,
                                   java.util.function.Supplier<ZoneId> zone) {
        if (!settings.enabled()) {
            LOG.info("usage storage is off (storage.enabled: false): usage is not recorded, budgets start from zero");
            return disabled();
        }
        StorageSettings effective = DefaultLocation.usable(settings);
        UsageDatabase database = new UsageDatabase(effective);
        UsageWriter writer = new UsageWriter(database, wallMillis,
                db -> restoreSpend(new UsageReports(db::getConnection), limiter, zone.get(), wallMillis.getAsLong()));
        writer.start();
        LOG.info("usage records go to {} (retention {})", effective.displayUrl(),
                io.claudelb.core.config.Durations.format(settings.retention()));
        return new UsageStore(database, writer);
    }

    private static void restoreSpend(UsageReports reports, Limiter limiter, ZoneId zone, long nowMillis)
            throws SQLException {
        Instant now = Instant.ofEpochMilli(nowMillis);
        Instant end = now.plus(1, ChronoUnit.DAYS);
        int clients = 0;
        for (BudgetPeriod p : BudgetPeriod.values()) {
            Map<String, Long> spend = reports.spendByClient(p.start(now, zone), end);
            spend.forEach((client, nanos) -> limiter.restoreSpend(client, p, nanos));
            clients = Math.max(clients, spend.size());
        }
        LOG.info("usage: budgets restored from the database ({} client(s) with spend this month)", clients);
    }

    public boolean enabled() {
        return writer != null;
    }

    /** Queues a record (event loops; never blocks). */
    public void offer(UsageRecord record) {
        if (writer != null) {
            writer.offer(record);
        }
    }

    /** Waits (bounded) for the first connection and the budget restore; false on timeout or without storage. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return writer != null && writer.awaitReady(timeout);
    }

    /** Reports over the database (blocking; null without storage). */
    public UsageReports reports() {
        return reports;
    }

    public StorageStats stats() {
        return writer == null ? StorageStats.NONE : writer;
    }

    /** Asks the writer to run the retention purge now. */
    public void requestMaintenance() {
        if (writer != null) {
            writer.requestMaintenance();
        }
    }

    public StorageSettings settings() {
        return database == null ? StorageSettings.DISABLED : database.settings();
    }

    /** Writes what is queued (for up to {@code grace}) and closes the database. Blocking. */
    public void close(Duration grace) {
        if (writer != null) {
            writer.close(grace);
            database.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
