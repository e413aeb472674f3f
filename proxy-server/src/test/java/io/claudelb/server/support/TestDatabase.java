package io.claudelb.server.support;

import io.claudelb.core.config.StorageSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A fresh usage database for one test (tests only): an SQLite file in a temporary directory, or a new database on
 * the shared {@link PostgresServer}. The usage tests run once per kind, against the real thing.
 */
public final class TestDatabase {
    /** The two databases claude-lb supports. */
    public enum Kind { SQLITE, POSTGRESQL }

    private final Kind kind;
    private final StorageSettings settings;

    private TestDatabase(Kind kind, StorageSettings settings) {
        this.kind = kind;
        this.settings = settings;
    }

    /** A fresh database of {@code kind}; SQLite files go into {@code dir}. Writes are flushed every 20 ms. */
    public static TestDatabase fresh(Kind kind, Path dir) {
        return switch (kind) {
            case SQLITE -> new TestDatabase(kind, StorageSettings.DEFAULTS
                    .withUrl("jdbc:sqlite:" + dir.resolve("usage.db").toAbsolutePath())
                    .withQueue(StorageSettings.DEFAULTS.queueCapacity(), 500, Duration.ofMillis(20)));
            case POSTGRESQL -> new TestDatabase(kind, PostgresServer.shared().freshDatabase());
        };
    }

    /** The same database with another retention. */
    public TestDatabase withRetention(Duration retention) {
        StorageSettings s = settings;
        return new TestDatabase(kind, new StorageSettings(true, s.url(), s.user(), s.password(), retention,
                s.queueCapacity(), s.batchSize(), s.flushInterval()));
    }

    public Kind kind() {
        return kind;
    }

    public StorageSettings settings() {
        return settings;
    }

    /** A direct connection, as another program reading the database would have. */
    public Connection connect() throws SQLException {
        return settings.user() == null ? DriverManager.getConnection(settings.url())
                : DriverManager.getConnection(settings.url(), settings.user(), settings.password().reveal());
    }

    /** The single number {@code sql} selects (0 for a null). */
    public long count(String sql) {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
