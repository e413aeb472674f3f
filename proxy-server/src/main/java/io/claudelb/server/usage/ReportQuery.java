package io.claudelb.server.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a usage report covers.
 *
 * @param from    first instant included
 * @param to      first instant excluded
 * @param groupBy dimensions of the rows (none: one total row)
 * @param client  only this client's rows (a client key asking for its own usage), or null for all
 * @param zone    where days begin (the {@code day} dimension)
 */
public record ReportQuery(Instant from, Instant to, Set<ReportDimension> groupBy, String client, ZoneId zone) {
    /** The range when the request names none: the last 24 hours. */
    public static final Duration DEFAULT_RANGE = Duration.ofHours(24);

    public ReportQuery {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        groupBy = groupBy.isEmpty() ? EnumSet.noneOf(ReportDimension.class) : EnumSet.copyOf(groupBy);
        Objects.requireNonNull(zone, "zone");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
    }

    /**
     * A query from request parameters: {@code from} and {@code to} are ISO-8601 instants
     * ({@code 2026-12-01T09:00:00Z}, or with an offset) or dates ({@code 2026-12-01}, in {@code zone}; a {@code to}
     * date includes that whole day); absent {@code to} is now, absent {@code from} is 24 hours before {@code to}.
     *
     * @throws IllegalArgumentException naming the parameter that cannot be read
     */
    public static ReportQuery parse(String from, String to, String groupBy, String client, ZoneId zone,
                                    Instant now) {
        Instant end = to == null || to.isBlank() ? now : instant("to", to.trim(), zone, true);
        Instant start = from == null || from.isBlank() ? end.minus(DEFAULT_RANGE)
                : instant("from", from.trim(), zone, false);
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("from (" + start + ") must be before to (" + end + ")");
        }
        return new ReportQuery(start, end, ReportDimension.parse(groupBy), client, zone);
    }

    private static Instant instant(String name, String text, ZoneId zone, boolean endOfDay) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException notOffset) {
            try {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
            } catch (DateTimeParseException notDate) {
                try {
                    return LocalDateTime.parse(text).atZone(zone).toInstant();
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(name + ": expected an ISO-8601 instant such as "
                            + "2026-12-01T09:00:00Z or a date such as 2026-12-01, got '" + text + "'");
                }
            }
        }
    }
}
