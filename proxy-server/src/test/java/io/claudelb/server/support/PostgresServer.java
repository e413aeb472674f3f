package io.claudelb.server.support;

import io.claudelb.core.config.Secret;
import io.claudelb.core.config.StorageSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests (tests only): Debian's {@code postgresql} binaries started by
 * {@code src/test/scripts/postgres.sh} in a temporary data directory on a free loopback port, once per test JVM,
 * stopped when the JVM exits. The script installs the package when it is missing (as root), so the PostgreSQL tests
 * run on a fresh machine too; there is no skipping: without PostgreSQL they fail. Each test gets a fresh database
 * ({@link #freshDatabase}). {@link #stop} and {@link #start} take the server away and bring it back (outage tests).
 */
public final class PostgresServer {
    private static final String USER = "claudelb";
    private static final Path SCRIPT = Path.of("src/test/scripts/postgres.sh").toAbsolutePath();
    private static PostgresServer shared;

    private final Path dir;
    private final int port;
    private final String password;
    private final AtomicInteger databases = new AtomicInteger();

    private PostgresServer(Path dir, int port, String password) {
        this.dir = dir;
        this.port = port;
        this.password = password;
    }

    /** The server of this JVM, started on first use. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("claude-lb-pg");
                PostgresServer server = new PostgresServer(dir, freePort(),
                        "pw-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                server.start();
                Runtime.getRuntime().addShutdownHook(new Thread(server::stopQuietly, "postgres-stop"));
                shared = server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Starts (or restarts) the server; returns once it accepts connections. */
    public void start() {
        run(List.of("bash", SCRIPT.toString(), "start", dir.toString(), Integer.toString(port), USER, password));
    }

    /** Fast shutdown: open connections are cut, new ones refused, until {@link #start}. */
    public void stop() {
        run(List.of("bash", SCRIPT.toString(), "stop", dir.toString()));
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // the JVM is exiting
        }
    }

    /** A new, empty database and the storage settings that reach it (user and password set, as a team would). */
    public StorageSettings freshDatabase() {
        String name = "usage_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, password);
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database: " + e.getMessage(), e);
        }
        return new StorageSettings(true, url(name), USER, Secret.of(password), StorageSettings.DEFAULTS.retention(),
                StorageSettings.DEFAULTS.queueCapacity(), StorageSettings.DEFAULTS.batchSize(),
                java.time.Duration.ofMillis(20));
    }

    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] output = p.getInputStream().readAllBytes();
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException("postgres.sh " + command.get(2) + " failed (exit "
                        + (p.isAlive() ? "timeout" : p.exitValue()) + "): "
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
