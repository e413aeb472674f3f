package io.claudelb.core.limit;

/**
 * The state of one rate bucket as Anthropic's {@code anthropic-ratelimit-*-{limit,remaining,reset}} headers show
 * it.
 *
 * @param limit       the bucket's capacity per minute
 * @param remaining   what may be used now (never negative)
 * @param resetMillis epoch millis when the bucket is full again
 */
public record BucketView(long limit, long remaining, long resetMillis) {
}
