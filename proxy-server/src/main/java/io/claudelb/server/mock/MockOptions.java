package io.claudelb.server.mock;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;

/**
 * How to start a {@link MockUpstream}: where it listens, how it answers by default, whether it records requests,
 * how many I/O threads it runs, its OAuth side and whether it speaks HTTPS. Built from {@link #defaults()} and the
 * withers; the CLI's {@code mock} command maps its flags onto this record (HTTPS is for in-process tests only).
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

    private static final MockOptions DEFAULTS = new MockOptions("mock", "127.0.0.1", 0, MockBehaviour.defaults(),
            DEFAULT_RECORD_LIMIT, 0, MockAuth.defaults(), null);

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

    public MockOptions withName(String value) {
        return new MockOptions(value, host, port, behaviour, recordLimit, ioThreads, auth, tls);
    }

    public MockOptions withHost(String value) {
        return new MockOptions(name, value, port, behaviour, recordLimit, ioThreads, auth, tls);
    }

    public MockOptions withPort(int value) {
        return new MockOptions(name, host, value, behaviour, recordLimit, ioThreads, auth, tls);
    }

    public MockOptions withBehaviour(MockBehaviour value) {
        return new MockOptions(name, host, port, value, recordLimit, ioThreads, auth, tls);
    }

    /** Keeps the newest {@code value} requests; 0 records nothing. */
    public MockOptions withRecordLimit(int value) {
        return new MockOptions(name, host, port, behaviour, value, ioThreads, auth, tls);
    }

    public MockOptions withIoThreads(int value) {
        return new MockOptions(name, host, port, behaviour, recordLimit, value, auth, tls);
    }

    public MockOptions withAuth(MockAuth value) {
        return new MockOptions(name, host, port, behaviour, recordLimit, ioThreads, value, tls);
    }

    /** Serves HTTPS with {@code serverContext} ({@code SslContextBuilder.forServer(...)}); null goes back to HTTP. */
    public MockOptions withTls(SslContext serverContext) {
        return new MockOptions(name, host, port, behaviour, recordLimit, ioThreads, auth, serverContext);
    }
}
