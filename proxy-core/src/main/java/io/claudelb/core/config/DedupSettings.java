package io.claudelb.core.config;

import java.time.Duration;

/**
 * In-flight request coalescing ({@code dedup:}): identical requests of one principal share one upstream call,
 * its answer fanned out live to every caller.
 *
 * @param enabled             coalescing on (a route or the {@code x-claude-lb-dedup: off} header can turn it off)
 * @param linger              how long an upstream call whose callers all left goes on, so their retry attaches
 *                            instead of paying again; a call that completes within it stays available until it ends
 * @param replayTtl           how long a completed successful answer stays available to identical requests (0: off)
 * @param maxReplayBytes      bytes of an answer kept for callers who join late; beyond it the call takes no new
 *                            callers, and a caller this far behind is dropped with an error event
 * @param maxEntries          in-flight calls (and, separately, completed answers) tracked at most
 * @param maxReplayTotalBytes bytes all completed answers kept for {@code replay_ttl} may take together
 */
public record DedupSettings(boolean enabled, Duration linger, Duration replayTtl, long maxReplayBytes,
                            int maxEntries, long maxReplayTotalBytes) {

    public static final DedupSettings DEFAULTS = new DedupSettings(true, Duration.ofSeconds(5), Duration.ZERO,
            8L * 1024 * 1024, 10_000, 256L * 1024 * 1024);

    /** Coalescing off (configs built in code that do not ask for it). */
    public static final DedupSettings OFF = new DedupSettings(false, Duration.ofSeconds(5), Duration.ZERO,
            8L * 1024 * 1024, 10_000, 256L * 1024 * 1024);

    public DedupSettings {
        Checks.notNegative("linger", linger);
        Checks.notNegative("replay_ttl", replayTtl);
        if (maxReplayBytes < 1024) {
            throw new ConfigException("max_replay_bytes", "must be at least 1KiB, got " + maxReplayBytes);
        }
        Checks.range("max_entries", maxEntries, 1, 10_000_000);
        if (maxReplayTotalBytes < maxReplayBytes) {
            throw new ConfigException("max_replay_total_bytes", "must be at least max_replay_bytes ("
                    + maxReplayBytes + "), got " + maxReplayTotalBytes);
        }
    }

    public DedupSettings withEnabled(boolean on) {
        return new DedupSettings(on, linger, replayTtl, maxReplayBytes, maxEntries, maxReplayTotalBytes);
    }

    public DedupSettings withLinger(Duration value) {
        return new DedupSettings(enabled, value, replayTtl, maxReplayBytes, maxEntries, maxReplayTotalBytes);
    }

    public DedupSettings withReplayTtl(Duration value) {
        return new DedupSettings(enabled, linger, value, maxReplayBytes, maxEntries, maxReplayTotalBytes);
    }

    /** Other bounds on replay bytes: per answer, and for all kept answers together. */
    public DedupSettings withLimits(long perAnswer, long total) {
        return new DedupSettings(enabled, linger, replayTtl, perAnswer, maxEntries, total);
    }
}
