package io.claudelb.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * {@code storage:}: where usage records go. An embedded SQLite file by default (nothing to install), PostgreSQL
 * for a team that already runs one. A native config file without {@code storage} gets {@link #DEFAULTS}; a config
 * built in code (tests, {@code claude-lb demo} before it picks its own file) or a seed-format file gets
 * {@link #DISABLED}: no database, usage is not recorded, limits still hold in memory.
 *
 * @param enabled        false: no database (usage is not recorded, budgets start from zero at each start)
 * @param url            {@code jdbc:sqlite:/path/usage.db} or {@code jdbc:postgresql://host:port/db}; a relative
 *                       SQLite path has been resolved against the working directory when the file was read
 * @param user           database user (PostgreSQL), or null
 * @param password       database password (PostgreSQL); never logged
 * @param retention      usage rows older than this are deleted (hourly); the hourly aggregates are kept
 * @param queueCapacity  records waiting for the database at most; beyond that new records are dropped and counted
 * @param batchSize      records written per transaction at most
 * @param flushInterval  the longest a record waits in the queue when traffic is light
 */
public record StorageSettings(boolean enabled, String url, String user, Secret password, Duration retention,
                              int queueCapacity, int batchSize, Duration flushInterval) {
    public static final String DEFAULT_URL = "jdbc:sqlite:/var/lib/claude-lb/usage.db";
    public static final StorageSettings DEFAULTS = new StorageSettings(true, DEFAULT_URL, null, Secret.empty(),
            Duration.ofDays(90), 50_000, 500, Duration.ofSeconds(1));
    public static final StorageSettings DISABLED = new StorageSettings(false, DEFAULT_URL, null, Secret.empty(),
            DEFAULTS.retention(), DEFAULTS.queueCapacity(), DEFAULTS.batchSize(), DEFAULTS.flushInterval());

    private static final String SQLITE = "jdbc:sqlite:";
    private static final String POSTGRESQL = "jdbc:postgresql:";

    /** The two databases claude-lb's migrations are written and tested for. */
    public enum Vendor { SQLITE, POSTGRESQL }

    public StorageSettings {
        Checks.notBlank("url", url);
        Objects.requireNonNull(password, "password");
        if (!url.startsWith(SQLITE) && !url.startsWith(POSTGRESQL)) {
            throw new ConfigException("url", "expected jdbc:sqlite:/path/usage.db or jdbc:postgresql://host/db, got '"
                    + displayUrl(url) + "'");
        }
        if (url.startsWith(SQLITE) && sqlitePath(url).isEmpty()) {
            throw new ConfigException("url", "needs a file path after jdbc:sqlite:");
        }
        Checks.positive("retention", retention);
        if (retention.compareTo(Duration.ofHours(1)) < 0) {
            throw new ConfigException("retention", "must be at least 1h, got " + Durations.format(retention));
        }
        Checks.range("queue_capacity", queueCapacity, 1, 10_000_000);
        Checks.range("batch_size", batchSize, 1, 100_000);
        Checks.positive("flush_interval", flushInterval);
    }

    public Vendor vendor() {
        return url.startsWith(SQLITE) ? Vendor.SQLITE : Vendor.POSTGRESQL;
    }

    /** The SQLite database file (null for PostgreSQL). */
    public Path sqliteFile() {
        return vendor() == Vendor.SQLITE ? Path.of(sqlitePath(url)) : null;
    }

    /** The URL for logs and errors: no query string (it may carry a password) and no user info. */
    public String displayUrl() {
        return displayUrl(url);
    }

    public StorageSettings withUrl(String newUrl) {
        return new StorageSettings(enabled, newUrl, user, password, retention, queueCapacity, batchSize, flushInterval);
    }

    public StorageSettings withQueue(int capacity, int batch, Duration flush) {
        return new StorageSettings(enabled, url, user, password, retention, capacity, batch, flush);
    }

    /** {@code jdbc:sqlite:} followed by a relative path made absolute against {@code base}; other URLs unchanged. */
    static String resolveSqlite(String url, Path base) {
        if (!url.startsWith(SQLITE)) {
            return url;
        }
        String path = sqlitePath(url);
        String query = url.substring(SQLITE.length() + path.length());
        if (path.isEmpty() || path.startsWith("file:") || path.startsWith(":memory:") || Path.of(path).isAbsolute()) {
            return url;
        }
        return SQLITE + base.resolve(path).toAbsolutePath().normalize() + query;
    }

    private static String sqlitePath(String url) {
        String rest = url.substring(SQLITE.length());
        int q = rest.indexOf('?');
        return q < 0 ? rest : rest.substring(0, q);
    }

    private static String displayUrl(String url) {
        String u = url;
        int q = u.indexOf('?');
        if (q >= 0) {
            u = u.substring(0, q) + "?...";
        }
        int scheme = u.indexOf("://");
        int at = u.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            u = u.substring(0, scheme + 3) + u.substring(at + 1);
        }
        return u.toLowerCase(Locale.ROOT).startsWith("jdbc:") ? u : "(not a JDBC URL)";
    }
}
