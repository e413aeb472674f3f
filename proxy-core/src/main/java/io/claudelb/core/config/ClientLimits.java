package io.claudelb.core.config;

import java.util.Objects;

/**
 * The limits one client key is held to ({@code limits.default}, or a client's own {@code limits:} merged key by key
 * over the default). 0 means no limit of that kind.
 *
 * @param requestsPerMinute requests admitted per minute (a token bucket refilled continuously)
 * @param tokensPerMinute   input + output tokens per minute, charged when each answer ends; a request is admitted
 *                          while the bucket is positive
 * @param concurrent        requests in flight at once
 * @param budget            spend budgets per day, week, month
 */
public record ClientLimits(long requestsPerMinute, long tokensPerMinute, int concurrent, BudgetLimits budget) {
    public static final ClientLimits NONE = new ClientLimits(0, 0, 0, BudgetLimits.NONE);

    public ClientLimits {
        Checks.range("requests_per_minute", requestsPerMinute, 0, 1_000_000_000L);
        // Bucket4j refills at most one token per nanosecond: 60 billion a minute.
        Checks.range("tokens_per_minute", tokensPerMinute, 0, 60_000_000_000L);
        Checks.range("concurrent", concurrent, 0, 1_000_000);
        Objects.requireNonNull(budget, "budget");
    }

    public boolean any() {
        return requestsPerMinute > 0 || tokensPerMinute > 0 || concurrent > 0 || budget.any();
    }
}
