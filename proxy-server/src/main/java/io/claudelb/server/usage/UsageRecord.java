package io.claudelb.server.usage;

import io.claudelb.core.usage.ModelPrice;
import io.claudelb.core.usage.PriceTable;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;

/**
 * One row of {@code usage_records}: a finished {@code /v1/messages} or {@code count_tokens} request with its tokens
 * and cost. Names, numbers and model strings only, never a key or a prompt; client-chosen strings are cut to
 * {@link #MAX_TEXT} characters.
 *
 * <p>Cost is priced on the <em>target</em> model (what the upstream ran and bills, e.g.
 * {@code databricks-claude-opus-4-7} for a request that asked for {@code claude-opus-4-7}, or the cheaper model a
 * route rewrote to) on the upstream that answered, because that is the bill the team pays. Coalesced followers and
 * replays keep the tokens the answer reported and cost 0: they made no upstream call of their own.
 * {@code count_tokens} answers carry an {@code input_tokens} figure that is a count, not usage: they cost nothing
 * and record no tokens.
 */
public record UsageRecord(String requestId, long ts, String client, String session, String upstream,
                          String requestedModel, String targetModel, String endpoint, int status, String outcome,
                          int attempts, int failovers, long inputTokens, long outputTokens, long cacheReadTokens,
                          long cacheWrite5mTokens, long cacheWrite1hTokens, long costNanos, long ttfbMicros,
                          long durationMicros, String coalescing) {
    public static final int MAX_TEXT = 256;
    public static final String MESSAGES = "messages";
    public static final String COUNT_TOKENS = "count_tokens";

    /** Whether this request's own upstream call is billed (not a coalesced follower or replay). */
    public boolean billed() {
        return coalescing.equals(CoalescingRole.OFF.wireName()) || coalescing.equals(CoalescingRole.LEADER.wireName());
    }

    /** An error the client saw: an error status, no answer at all, or a stream cut by its upstream. */
    public boolean error() {
        return status >= 400 || outcome.equals(Outcome.FAILED_MID_STREAM.wireName());
    }

    /** Input and output tokens: what the tokens-per-minute limit charges. */
    public long limitTokens() {
        return inputTokens + outputTokens;
    }

    /** Whether {@code event} is a request usage accounting records (the Messages endpoints). */
    public static boolean recorded(ExchangeEvent event) {
        String path = event.path();
        return path.equals("/v1/messages") || path.equals("/v1/messages/count_tokens");
    }

    /**
     * The row for {@code event}, priced with {@code prices}.
     *
     * @return the row; {@link #costNanos} is 0 when no price covers the target model ({@code unpriced} then says so)
     */
    public static UsageRecord of(ExchangeEvent event, PriceTable prices) {
        UsageCounts u = event.countTokens() || event.usage() == null ? UsageCounts.NONE : event.usage();
        String target = event.targetModel();
        String upstream = event.upstream();
        long cost = 0;
        if (event.role().calledUpstream() && u != UsageCounts.NONE) {
            ModelPrice price = prices.lookup(target, upstream);
            if (price != null) {
                cost = price.costNanos(u.input(), u.output(), u.cacheRead(), u.cacheWrite5m(), u.cacheWrite1h());
            }
        }
        return new UsageRecord(event.requestId(), event.startEpochMillis(), cut(event.clientName()),
                cut(event.sessionId()), cut(upstream), cut(event.requestedModel()), cut(target),
                event.countTokens() ? COUNT_TOKENS : MESSAGES, event.status(), event.outcome().wireName(),
                event.attempts().size(), event.failovers(), u.input(), u.output(), u.cacheRead(), u.cacheWrite5m(),
                u.cacheWrite1h(), cost, event.ttfbNanos() < 0 ? -1 : event.ttfbNanos() / 1000,
                event.durationNanos() / 1000, event.role().wireName());
    }

    /** True when tokens were reported and the target model has no price (its cost is recorded as 0). */
    public static boolean unpriced(ExchangeEvent event, PriceTable prices) {
        return !event.countTokens() && event.usage() != null && event.role().calledUpstream()
                && prices.lookup(event.targetModel(), event.upstream()) == null;
    }

    private static String cut(String s) {
        return s == null || s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
    }
}
