package io.claudelb.server.usage;

import java.util.List;
import java.util.Map;

/**
 * One row of a usage report: the totals of one group. Tokens are those billed (coalesced followers and replays
 * are counted in {@link #coalesced} but add no tokens or cost).
 *
 * @param group             dimension -> value (null: none, e.g. no session, or totals older than the rows kept)
 * @param requests          {@code /v1/messages} requests
 * @param countTokens       {@code count_tokens} requests
 * @param errors            requests that ended with an error status, no answer, or a stream cut by its upstream
 * @param coalesced         requests answered from an identical in-flight one
 * @param failovers         attempts that failed over to another upstream
 * @param upstreamSwitches  times a session's request went to another upstream than its previous one (each costs a
 *                          prompt-cache rebuild); counted on rows, so only with the rows kept
 */
public record ReportRow(Map<ReportDimension, String> group, long requests, long countTokens, long errors,
                        long coalesced, long failovers, long upstreamSwitches, long inputTokens, long outputTokens,
                        long cacheReadTokens, long cacheWrite5mTokens, long cacheWrite1hTokens, long costNanos) {

    /** The sum of {@code rows}, with no group. */
    public static ReportRow total(List<ReportRow> rows) {
        long[] t = new long[12];
        for (ReportRow r : rows) {
            t[0] += r.requests;
            t[1] += r.countTokens;
            t[2] += r.errors;
            t[3] += r.coalesced;
            t[4] += r.failovers;
            t[5] += r.upstreamSwitches;
            t[6] += r.inputTokens;
            t[7] += r.outputTokens;
            t[8] += r.cacheReadTokens;
            t[9] += r.cacheWrite5mTokens;
            t[10] += r.cacheWrite1hTokens;
            t[11] += r.costNanos;
        }
        return new ReportRow(Map.of(), t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11]);
    }

    /**
     * cache_read / (cache_read + cache_write + uncached input): the share of prompt tokens served from the cache.
     * Null when no prompt token was billed.
     */
    public Double cacheHitRate() {
        long prompt = cacheReadTokens + cacheWrite5mTokens + cacheWrite1hTokens + inputTokens;
        return prompt == 0 ? null : (double) cacheReadTokens / prompt;
    }
}
