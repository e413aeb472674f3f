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
 * @param writeStallTimeout       a client that takes no bytes of a relayed answer this long loses it (the upstream
 *                                connection is freed); zero means never
 * @param drainDelay              on SIGTERM, how long {@code /readyz} answers 503 while the listener still accepts,
 *                                so load balancers and Kubernetes take the instance out before connections are
 *                                refused; zero closes the listener at once
 */
public record ServerSettings(String host, int port, long maxRequestBytes, Duration idleTimeout,
                             Duration headerReadTimeout, Duration shutdownGrace, int ioThreads, int maxConnections,
                             boolean allowUnauthenticatedRemote, List<String> authExemptPaths,
                             Duration writeStallTimeout, Duration drainDelay) {

    public static final ServerSettings DEFAULTS = new ServerSettings("127.0.0.1", 8000, 32L * 1024 * 1024,
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 0, 16_384, false,
            List.of("/health"), Duration.ofMinutes(5), Duration.ZERO);

    public ServerSettings {
        Objects.requireNonNull(host, "host");
        Checks.range("port", port, 0, 65_535);
        Checks.positive("max_request_bytes", maxRequestBytes);
        Checks.positive("idle_timeout", idleTimeout);
        Checks.positive("header_read_timeout", headerReadTimeout);
        Checks.notNegative("shutdown_grace", shutdownGrace);
        Checks.range("io_threads", ioThreads, 0, 1024);
        Checks.range("max_connections", maxConnections, 1, 10_000_000);
        Checks.notNegative("write_stall_timeout", writeStallTimeout);
        Checks.notNegative("drain_delay", drainDelay);
        authExemptPaths = List.copyOf(authExemptPaths);
    }

    public ServerSettings withListen(String newHost, int newPort) {
        return toBuilder().host(newHost).port(newPort).build();
    }

    /** A builder starting from {@link #DEFAULTS}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Server settings by name; {@link #build()} validates them. */
    public static final class Builder {
        private String host;
        private int port;
        private long maxRequestBytes;
        private Duration idleTimeout;
        private Duration headerReadTimeout;
        private Duration shutdownGrace;
        private int ioThreads;
        private int maxConnections;
        private boolean allowUnauthenticatedRemote;
        private List<String> authExemptPaths;
        private Duration writeStallTimeout;
        private Duration drainDelay;

        private Builder(ServerSettings s) {
            host = s.host;
            port = s.port;
            maxRequestBytes = s.maxRequestBytes;
            idleTimeout = s.idleTimeout;
            headerReadTimeout = s.headerReadTimeout;
            shutdownGrace = s.shutdownGrace;
            ioThreads = s.ioThreads;
            maxConnections = s.maxConnections;
            allowUnauthenticatedRemote = s.allowUnauthenticatedRemote;
            authExemptPaths = s.authExemptPaths;
            writeStallTimeout = s.writeStallTimeout;
            drainDelay = s.drainDelay;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder maxRequestBytes(long value) {
            maxRequestBytes = value;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            idleTimeout = value;
            return this;
        }

        public Builder headerReadTimeout(Duration value) {
            headerReadTimeout = value;
            return this;
        }

        public Builder shutdownGrace(Duration value) {
            shutdownGrace = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder allowUnauthenticatedRemote(boolean value) {
            allowUnauthenticatedRemote = value;
            return this;
        }

        public Builder authExemptPaths(List<String> value) {
            authExemptPaths = value;
            return this;
        }

        public Builder writeStallTimeout(Duration value) {
            writeStallTimeout = value;
            return this;
        }

        public Builder drainDelay(Duration value) {
            drainDelay = value;
            return this;
        }

        public ServerSettings build() {
            return new ServerSettings(host, port, maxRequestBytes, idleTimeout, headerReadTimeout, shutdownGrace,
                    ioThreads, maxConnections, allowUnauthenticatedRemote, authExemptPaths, writeStallTimeout,
                    drainDelay);
        }
    }
}
