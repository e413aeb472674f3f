package io.claudelb.core.limit;

/**
 * Why a request was not admitted, with what Anthropic-shaped 429 headers need.
 *
 * @param kind            the limit that refused it
 * @param message         the error message for the client (names the client and the limit, never a key)
 * @param retryAfterMillis when the request could be admitted again (from now)
 * @param shouldRetry     false for budgets: retrying before the period ends cannot succeed, so clients that obey
 *                        {@code x-should-retry} (the Anthropic SDKs, Claude Code) stop at once
 * @param requests        the request bucket of the client (or of the session, for a session refusal), or null
 * @param tokens          the client's token bucket, or null
 */
public record Refusal(LimitKind kind, String message, long retryAfterMillis, boolean shouldRetry, BucketView requests,
                      BucketView tokens) {
}
