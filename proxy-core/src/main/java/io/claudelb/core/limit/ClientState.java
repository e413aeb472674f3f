package io.claudelb.core.limit;

import io.claudelb.core.config.ClientLimits;
import io.github.bucket4j.Bucket;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client's counters: its request and token buckets, requests in flight and spend per budget period. Lives as
 * long as the gateway (a reload reshapes it, never replaces it, so counts survive). Fields written by a reload on
 * the control plane are volatile; every counter is lock-free.
 */
final class ClientState {
    final String name;
    volatile ClientLimits limits;
    volatile Bucket requests;
    volatile Bucket tokens;
    final AtomicInteger inFlight = new AtomicInteger();
    final Map<BudgetPeriod, SpendWindow> spend = new EnumMap<>(BudgetPeriod.class);

    ClientState(String name, ClientLimits limits, MinuteBuckets buckets) {
        this.name = name;
        this.limits = limits;
        this.requests = buckets.create(limits.requestsPerMinute());
        this.tokens = buckets.create(limits.tokensPerMinute());
        for (BudgetPeriod p : BudgetPeriod.values()) {
            spend.put(p, new SpendWindow(p));
        }
    }

    void reconfigure(ClientLimits next, MinuteBuckets buckets) {
        ClientLimits old = limits;
        requests = buckets.reshape(requests, old.requestsPerMinute(), next.requestsPerMinute());
        tokens = buckets.reshape(tokens, old.tokensPerMinute(), next.tokensPerMinute());
        limits = next;
    }

    void rezone(long nowMillis, ZoneId zone) {
        spend.values().forEach(w -> w.rezone(nowMillis, zone));
    }

    static long budgetOf(ClientLimits limits, BudgetPeriod period) {
        return switch (period) {
            case DAY -> limits.budget().dailyNanos();
            case WEEK -> limits.budget().weeklyNanos();
            case MONTH -> limits.budget().monthlyNanos();
        };
    }
}
