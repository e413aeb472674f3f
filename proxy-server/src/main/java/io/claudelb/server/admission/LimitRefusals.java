package io.claudelb.server.admission;

import io.claudelb.core.limit.BucketView;
import io.claudelb.core.limit.Refusal;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The 429 for a refused request, shaped like Anthropic's own: {@code rate_limit_error}, {@code retry-after} in
 * seconds, and {@code anthropic-ratelimit-requests-*} / {@code -tokens-*} {@code limit, remaining, reset} (RFC 3339)
 * of the client's buckets (the session's request bucket for a session refusal). {@code x-claude-lb-limit} names the
 * limit; a spent budget adds {@code x-should-retry: false}, because no retry can succeed before the period ends.
 */
public final class LimitRefusals {
    public static final String LIMIT_HEADER = "x-claude-lb-limit";

    private LimitRefusals() {
    }

    public static FullHttpResponse response(ByteBufAllocator alloc, Refusal refusal) {
        FullHttpResponse res = LocalResponses.error(alloc, 429, "rate_limit_error", refusal.message());
        HttpHeaders h = res.headers();
        h.set("retry-after", Long.toString(Math.max(1, (refusal.retryAfterMillis() + 999) / 1000)));
        bucket(h, "requests", refusal.requests());
        bucket(h, "tokens", refusal.tokens());
        h.set(LIMIT_HEADER, refusal.kind().wireName());
        if (!refusal.shouldRetry()) {
            h.set("x-should-retry", "false");
        }
        return res;
    }

    private static void bucket(HttpHeaders h, String kind, BucketView view) {
        if (view == null) {
            return;
        }
        String prefix = "anthropic-ratelimit-" + kind + "-";
        h.set(prefix + "limit", Long.toString(view.limit()));
        h.set(prefix + "remaining", Long.toString(view.remaining()));
        h.set(prefix + "reset", rfc3339(view.resetMillis()));
    }

    /** Whole seconds, rounded up, UTC: {@code 2026-12-02T10:01:00Z}. */
    static String rfc3339(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis + 999).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
