package io.claudelb.core.config;

import java.time.Duration;

/**
 * Timeouts towards one upstream ({@code upstreams[].timeouts}).
 *
 * @param connect      TCP connect (and TLS handshake) limit
 * @param firstByte    from request written to response head; long, since a non-streaming Opus answer may take minutes
 * @param idle         the longest gap between two reads of a response body (streams ping every few seconds)
 */
public record TimeoutSettings(Duration connect, Duration firstByte, Duration idle) {
    public static final TimeoutSettings DEFAULTS = new TimeoutSettings(Duration.ofSeconds(10),
            Duration.ofMinutes(10), Duration.ofMinutes(5));

    public TimeoutSettings {
        Checks.positive("connect", connect);
        Checks.positive("first_byte", firstByte);
        Checks.positive("idle", idle);
    }
}
