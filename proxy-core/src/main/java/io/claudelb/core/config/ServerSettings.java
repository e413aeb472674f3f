package io.claudelb.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The listening side ({@code server:} in YAML).
 *
 * @param host                    bind address
 * @param port                    bind port (0 picks a free one: tests)
 * @param maxRequestBytes         request bodies above this get 413 {@code request_too_large}
 * @param idleTimeout             a client connection idle this long (no read, no write) is closed
 * @param headerReadTimeout       a request whose head and body are not complete this long after its first byte gets 408
 * @param shutdownGrace           on SIGTERM, how long in-flight exchanges may run before connections are closed
 * @param ioThreads               event loops (0 = one per core)
 * @param maxConnections          client connections above this are refused at accept
 * @param allowUnauthenticatedRemote listen on a non-loopback address even though no client key is configured
 * @param authExemptPaths         paths that need no client key
 */
public record ServerSettings(String host, int port, long maxRequestBytes, Duration idleTimeout,
                             Duration headerReadTimeout, Duration shutdownGrace, int ioThreads, int maxConnections,
                             boolean allowUnauthenticatedRemote, List<String> authExemptPaths) {

    public static final ServerSettings DEFAULTS = new ServerSettings("127.0.0.1", 8000, 32L * 1024 * 1024,
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 0, 16_384, false,
            List.of("/health"));

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Checks.range("port", port, 0, 65_535);
        Checks.positive("max_request_bytes", maxRequestBytes);
        Checks.positive("idle_timeout", idleTimeout);
        Checks.positive("header_read_timeout", headerReadTimeout);
        Checks.notNegative("shutdown_grace", shutdownGrace);
        Checks.range("io_threads", ioThreads, 0, 1024);
        Checks.range("max_connections", maxConnections, 1, 10_000_000);
        authExemptPaths = List.copyOf(authExemptPaths);
    }

    public ServerSettings withListen(String newHost, int newPort) {
        return new ServerSettings(newHost, newPort, maxRequestBytes, idleTimeout, headerReadTimeout, shutdownGrace,
                ioThreads, maxConnections, allowUnauthenticatedRemote, authExemptPaths);
    }
}
