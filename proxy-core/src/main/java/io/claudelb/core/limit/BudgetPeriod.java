package io.claudelb.core.limit;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** The periods a spend budget covers; each starts at midnight in the limits' time zone (weeks on Monday). */
public enum BudgetPeriod {
    DAY, WEEK, MONTH;

    /** The start of the period that contains {@code at}. */
    public Instant start(Instant at, ZoneId zone) {
        LocalDate day = at.atZone(zone).toLocalDate();
        LocalDate first = switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
        return first.atStartOfDay(zone).toInstant();
    }

    /** The start of the period after the one that contains {@code at}. */
    public Instant next(Instant at, ZoneId zone) {
        ZonedDateTime start = start(at, zone).atZone(zone);
        ZonedDateTime next = switch (this) {
            case DAY -> start.plusDays(1);
            case WEEK -> start.plusWeeks(1);
            case MONTH -> start.plusMonths(1);
        };
        return next.toLocalDate().atStartOfDay(zone).toInstant();
    }

    /** {@code daily_usd}, {@code weekly_usd}, {@code monthly_usd}: the config key of this period's budget. */
    public String configKey() {
        return switch (this) {
            case DAY -> "daily_usd";
            case WEEK -> "weekly_usd";
            case MONTH -> "monthly_usd";
        };
    }

    /** {@code daily}, {@code weekly}, {@code monthly}. */
    public String adjective() {
        return configKey().substring(0, configKey().indexOf('_'));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
