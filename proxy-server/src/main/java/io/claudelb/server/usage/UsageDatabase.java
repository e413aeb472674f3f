package io.claudelb.server.usage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.claudelb.core.config.StorageSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteOpenMode;

/**
 * The usage database: a HikariCP pool over SQLite or PostgreSQL and its schema, migrated by Flyway from
 * {@code db/usage} (one migration set for both). Never touched from an event loop: the writer thread and the
 * control plane use it.
 *
 * <p>The pool is created without connecting ({@code initializationFailTimeout -1}), so a database that is down at
 * start does not stop the gateway; {@link #ready()} connects, creates a SQLite file's directory and migrates, and
 * is retried by its callers until it succeeds. SQLite runs in WAL mode, so {@code claude-lb usage} (another process)
 * reads while the gateway writes.
 */
public final class UsageDatabase implements AutoCloseable {
    private static final long CONNECT_TIMEOUT_MILLIS = 5_000;

    private final StorageSettings settings;
    private final HikariDataSource pool;
    private volatile boolean migrated;

    public UsageDatabase(StorageSettings settings) {
        this.settings = settings;
        HikariConfig c = new HikariConfig();
        c.setPoolName("claude-lb-usage");
        c.setJdbcUrl(settings.url());
        if (settings.user() != null) {
            c.setUsername(settings.user());
        }
        if (!settings.password().isEmpty()) {
            c.setPassword(settings.password().reveal());
        }
        c.setInitializationFailTimeout(-1);
        c.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
        c.setValidationTimeout(Math.min(CONNECT_TIMEOUT_MILLIS, 3_000));
        // The writer and one reader (a /usage query or the start-up restore) at a time.
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(0);
        if (settings.vendor() == StorageSettings.Vendor.SQLITE) {
            // sqlite-jdbc reads these pragmas from the connection properties.
            c.addDataSourceProperty("journal_mode", "WAL");
            c.addDataSourceProperty("synchronous", "NORMAL");
            c.addDataSourceProperty("busy_timeout", "5000");
            // 32 MiB of page cache per connection (SQLite's default is 2 MB): the indexes' leaves of a busy day stay
            // in memory instead of being read back for every inserted row (measured: 1.4 pread64 per row).
            c.addDataSourceProperty("cache_size", "-32768");
            // SQLite's multi-thread mode: no mutex taken inside every sqlite3_bind and step call (the writer binds
            // 21 values per row; those lock round trips were about a tenth of its time). Safe because a pooled
            // connection is used by one thread at a time, and sqlite-jdbc serialises calls on a connection anyway.
            c.addDataSourceProperty("open_mode", Integer.toString(
                    SQLiteOpenMode.READWRITE.flag | SQLiteOpenMode.CREATE.flag | SQLiteOpenMode.NOMUTEX.flag));
        } else {
            c.addDataSourceProperty("connectTimeout", "5");
            c.addDataSourceProperty("socketTimeout", "30");
            c.addDataSourceProperty("ApplicationName", "claude-lb");
        }
        this.pool = new HikariDataSource(c);
    }

    /**
     * Connects and brings the schema up to date (once). Blocking: call it from the writer thread or the control
     * plane.
     *
     * @throws SQLException when the database cannot be reached or migrated (the caller retries later)
     */
    public DataSource ready() throws SQLException {
        if (!migrated) {
            migrate();
        }
        return pool;
    }

    private synchronized void migrate() throws SQLException {
        if (migrated) {
            return;
        }
        Path file = settings.sqliteFile();
        if (file != null && file.getParent() != null) {
            try {
                Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new SQLException("cannot create the directory of " + file + ": " + e, e);
            }
        }
        try (Connection probe = pool.getConnection()) {
            probe.isValid(1);
        }
        try {
            Flyway.configure(UsageDatabase.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/usage")
                    .table("usage_schema_history")
                    .baselineOnMigrate(false)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new SQLException("schema migration failed: " + e.getMessage(), e);
        }
        migrated = true;
    }

    /** Connections borrowed from the pool right now (tests: the writer gives its own back when idle). */
    int connectionsInUse() {
        var bean = pool.getHikariPoolMXBean();
        return bean == null ? 0 : bean.getActiveConnections();
    }

    public StorageSettings settings() {
        return settings;
    }

    public StorageSettings.Vendor vendor() {
        return settings.vendor();
    }

    @Override
    public void close() {
        pool.close();
    }
}
