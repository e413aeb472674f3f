package io.claudelb.core.config;

/**
 * Spend budgets of one client ({@code budget:}), in nano-dollars (1e-9 USD, the unit usage records store); 0 means
 * no budget for that period. Days, weeks (from Monday) and months start at midnight in {@code limits.timezone}.
 *
 * @param dailyNanos   {@code daily_usd}
 * @param weeklyNanos  {@code weekly_usd}
 * @param monthlyNanos {@code monthly_usd}
 */
public record BudgetLimits(long dailyNanos, long weeklyNanos, long monthlyNanos) {
    public static final BudgetLimits NONE = new BudgetLimits(0, 0, 0);
    public static final long NANOS_PER_USD = 1_000_000_000L;

    public BudgetLimits {
        Checks.range("daily_usd", dailyNanos, 0, Long.MAX_VALUE);
        Checks.range("weekly_usd", weeklyNanos, 0, Long.MAX_VALUE);
        Checks.range("monthly_usd", monthlyNanos, 0, Long.MAX_VALUE);
    }

    public boolean any() {
        return dailyNanos > 0 || weeklyNanos > 0 || monthlyNanos > 0;
    }
}
