package io.claudelb.codec.cloud;

/**
 * Bedrock's own account of one invocation, from the {@code amazon-bedrock-invocationMetrics} object of a stream's
 * last chunk. A count Bedrock did not state is 0.
 *
 * @param inputTokens          {@code inputTokenCount}
 * @param outputTokens         {@code outputTokenCount}
 * @param cacheReadTokens      {@code cacheReadInputTokenCount}
 * @param cacheWriteTokens     {@code cacheWriteInputTokenCount}
 * @param invocationLatencyMs  {@code invocationLatency}
 * @param firstByteLatencyMs   {@code firstByteLatency}
 */
public record InvocationMetrics(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                                long invocationLatencyMs, long firstByteLatencyMs) {
}
