package io.claudelb.server.observe;

import io.claudelb.codec.usage.Usage;

/**
 * The tokens one answer reported, by kind: what is billed. Cache writes are split by time to live, as Anthropic
 * prices them (5 minutes: 1.25x input, 1 hour: 2x).
 *
 * @param input        uncached input tokens
 * @param output       output tokens
 * @param cacheRead    input tokens read from the prompt cache
 * @param cacheWrite5m input tokens written to the cache with the 5-minute TTL
 * @param cacheWrite1h input tokens written to the cache with the 1-hour TTL
 */
public record UsageCounts(long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h) {
    public static final UsageCounts NONE = new UsageCounts(0, 0, 0, 0, 0);

    /** The counts a relay's usage tap accumulated, or null when the answer reported none. */
    public static UsageCounts of(Usage usage) {
        if (usage == null || !usage.reported()) {
            return null;
        }
        return new UsageCounts(usage.inputTokens(), usage.outputTokens(), usage.cacheReadInputTokens(),
                usage.cacheWrite5mTokens(), usage.cacheWrite1hTokens());
    }

    /** Cache writes of both TTLs. */
    public long cacheWrite() {
        return cacheWrite5m + cacheWrite1h;
    }
}
