package io.claudelb.server.observe;

import io.claudelb.codec.cloud.InvocationMetrics;
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

    /**
     * Bedrock's own counts of an invocation ({@code amazon-bedrock-invocationMetrics}: input tokens without the
     * cached ones, output, cache reads and writes). Bedrock states no TTL split of its cache writes, so the split the
     * stream's events reported ({@code tapped}, may be null) is kept when it fits; the rest is 5-minute writes.
     */
    public static UsageCounts of(InvocationMetrics metrics, Usage tapped) {
        long write1h = tapped == null ? 0 : Math.min(tapped.cacheWrite1hTokens(), metrics.cacheWriteTokens());
        return new UsageCounts(metrics.inputTokens(), metrics.outputTokens(), metrics.cacheReadTokens(),
                metrics.cacheWriteTokens() - write1h, write1h);
    }

    /** Cache writes of both TTLs. */
    public long cacheWrite() {
        return cacheWrite5m + cacheWrite1h;
    }
}
