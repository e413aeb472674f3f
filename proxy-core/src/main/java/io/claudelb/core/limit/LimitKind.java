package io.claudelb.core.limit;

import java.util.Locale;

/** Which limit refused a request; the name goes into {@code x-claude-lb-limit} and the error message. */
public enum LimitKind {
    REQUESTS_PER_MINUTE, TOKENS_PER_MINUTE, CONCURRENT, SESSION_REQUESTS_PER_MINUTE, DAILY_BUDGET, WEEKLY_BUDGET,
    MONTHLY_BUDGET;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    static LimitKind budget(BudgetPeriod period) {
        return switch (period) {
            case DAY -> DAILY_BUDGET;
            case WEEK -> WEEKLY_BUDGET;
            case MONTH -> MONTHLY_BUDGET;
        };
    }
}
