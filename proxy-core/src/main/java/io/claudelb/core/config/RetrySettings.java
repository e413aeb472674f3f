package io.claudelb.core.config;

import java.time.Duration;

/**
 * {@code retry:} failover before the first byte reaches the client.
 *
 * @param maxAttempts  upstreams tried per request, at most (each a different one)
 * @param peekMaxBytes a stream's head is held at most this many bytes, looking for an in-band error
 * @param peekMaxWait  ... and at most this long
 */
public record RetrySettings(int maxAttempts, long peekMaxBytes, Duration peekMaxWait) {
    public static final RetrySettings DEFAULTS = new RetrySettings(3, 16 * 1024, Duration.ofSeconds(10));

    public RetrySettings {
        Checks.range("max_attempts", maxAttempts, 1, 100);
        Checks.range("stream_peek.max_bytes", peekMaxBytes, 0, 16L * 1024 * 1024);
        Checks.notNegative("stream_peek.max_wait", peekMaxWait);
    }
}
