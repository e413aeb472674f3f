package io.claudelb.core.limit;

import io.claudelb.core.config.ClientLimits;
import java.util.Map;

/**
 * A client's limits and what is left of each, for {@code GET /usage/clients/{name}}.
 *
 * @param client                   the client's name (null: the anonymous caller)
 * @param limits                   its limits (0: none of that kind)
 * @param sessionRequestsPerMinute the per-session limit
 * @param inFlight                 requests running now
 * @param requests                 the request bucket, or null without a requests limit
 * @param tokens                   the token bucket, or null without a tokens limit
 * @param budgets                  per period: budget, spent so far and when the period ends (spend is tracked with
 *                                 or without a budget)
 */
public record ClientStatus(String client, ClientLimits limits, long sessionRequestsPerMinute, int inFlight,
                           BucketView requests, BucketView tokens, Map<BudgetPeriod, Budget> budgets) {

    /**
     * @param limitNanos budget of the period (0: none)
     * @param spentNanos spent in the current period
     * @param endMillis  epoch millis when the period ends
     */
    public record Budget(long limitNanos, long spentNanos, long endMillis) {
        public long remainingNanos() {
            return limitNanos == 0 ? 0 : Math.max(0, limitNanos - spentNanos);
        }
    }
}
