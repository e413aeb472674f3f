package io.claudelb.server.mock;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * How to start a {@link MockUpstream}: where it listens, how it answers by default, whether it records requests,
 * how many I/O threads it runs, its OAuth side and whether it speaks HTTPS. Built by name ({@link #builder()},
 * {@link #toBuilder()}); the CLI's {@code mock} command maps its flags onto it (HTTPS is for in-process tests only).
 *
 * @param name name sent back in the {@code x-mock-upstream} header (tells apart several mocks behind one proxy)
 * @param host address to bind ({@code 127.0.0.1} by default)
 * @param port port to bind; 0 picks a free port (read it back with {@link MockUpstream#port()})
 * @param behaviour default behaviour; request headers can override it per request
 * @param recordLimit how many of the most recent requests to keep a copy of ({@value #DEFAULT_RECORD_LIMIT} by
 *     default, so a mock left running for hours holds a bounded amount); 0 records nothing (benchmarks, the demo)
 * @param ioThreads event-loop threads; 0 means one per available processor
 * @param auth token endpoints and whether model requests need an issued bearer token
 * @param tls a server {@link SslContext} (its key and certificate chain) to serve HTTPS with, or null for plain HTTP;
 *     tests use it to check how the proxy trusts and verifies an https upstream
 */
public record MockOptions(String name, String host, int port, MockBehaviour behaviour, int recordLimit,
        int ioThreads, MockAuth auth, SslContext tls) {
    /** Requests kept by default: enough for any test, bounded for a long-running {@code claude-lb mock}. */
    public static final int DEFAULT_RECORD_LIMIT = 1_000;

    private static final MockOptions DEFAULTS = new Builder().build();

    public MockOptions {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(behaviour, "behaviour");
        Objects.requireNonNull(auth, "auth");
        if (name.isEmpty() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("name must be non-empty printable ASCII without spaces: " + name);
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (recordLimit < 0) {
            throw new IllegalArgumentException("recordLimit must be >= 0, was " + recordLimit);
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0, was " + ioThreads);
        }
        if (tls != null && !tls.isServer()) {
            throw new IllegalArgumentException("tls must be a server SslContext (SslContextBuilder.forServer)");
        }
    }

    /**
     * Name {@code mock}, 127.0.0.1, a free port, default behaviour, the newest {@value #DEFAULT_RECORD_LIMIT} requests
     * recorded, one thread per processor, plain HTTP.
     */
    public static MockOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return DEFAULTS.toBuilder();
    }

    /** A builder starting from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Mock options by name; {@link #build()} validates them (the record's constructor). The field initialisers are
     * where every default is declared: {@link #defaults()} is what a builder left alone builds.
     */
    public static final class Builder {
        private String name = "mock";
        private String host = "127.0.0.1";
        private int port = 0;
        private MockBehaviour behaviour = MockBehaviour.defaults();
        private int recordLimit = DEFAULT_RECORD_LIMIT;
        private int ioThreads = 0;
        private MockAuth auth = MockAuth.defaults();
        private SslContext tls = null;

        private Builder() {
        }

        private Builder(MockOptions from) {
            name = from.name;
            host = from.host;
            port = from.port;
            behaviour = from.behaviour;
            recordLimit = from.recordLimit;
            ioThreads = from.ioThreads;
            auth = from.auth;
            tls = from.tls;
        }

        public Builder name(String value) {
            name = value;
            return this;
        }

        public Builder host(String value) {
            host = value;
            return this;
        }

        public Builder port(int value) {
            port = value;
            return this;
        }

        public Builder behaviour(MockBehaviour value) {
            behaviour = value;
            return this;
        }

        /** Keeps the newest {@code value} requests; 0 records nothing. */
        public Builder recordLimit(int value) {
            recordLimit = value;
            return this;
        }

        public Builder ioThreads(int value) {
            ioThreads = value;
            return this;
        }

        public Builder auth(MockAuth value) {
            auth = value;
            return this;
        }

        /** Serves HTTPS with {@code value} ({@code SslContextBuilder.forServer(...)}); null: plain HTTP. */
        public Builder tls(SslContext value) {
            tls = value;
            return this;
        }

        /** @throws IllegalArgumentException when the settings do not make valid options */
        public MockOptions build() {
            return new MockOptions(name, host, port, behaviour, recordLimit, ioThreads, auth, tls);
        }
    }
}
