package io.claudelb.core.health;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads how long an upstream asked to be left alone from its response headers (used on 429/529 to set the
 * upstream's {@link Cooldown}). Precedence, as the Anthropic SDKs do it: {@code retry-after-ms} (milliseconds, may
 * be fractional), then {@code retry-after} (delta seconds, or an HTTP-date relative to the wall clock), then the
 * earliest {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-reset} (RFC 3339) that is still
 * in the future. A header that does not parse is skipped, never an error: this is advice, not protocol.
 */
public final class RetryAfter {
    static final List<String> RATELIMIT_RESET_HEADERS = List.of(
            "anthropic-ratelimit-requests-reset",
            "anthropic-ratelimit-tokens-reset",
            "anthropic-ratelimit-input-tokens-reset",
            "anthropic-ratelimit-output-tokens-reset");

    private RetryAfter() {
    }

    /**
     * Nanoseconds the upstream asked us to wait, or 0 when it said nothing usable (or asked for no wait).
     *
     * @param headerLookup   response header value by lower-case name, null when absent
     * @param nowEpochMillis the wall clock, for HTTP-dates and RFC 3339 resets
     */
    public static long nanos(Function<String, String> headerLookup, long nowEpochMillis) {
        Long millis = parseMillis(headerLookup.apply("retry-after-ms"));
        if (millis == null) {
            millis = parseRetryAfter(headerLookup.apply("retry-after"), nowEpochMillis);
        }
        if (millis == null) {
            millis = earliestReset(headerLookup, nowEpochMillis);
        }
        return millis == null ? 0 : saturatedNanos(millis);
    }

    private static Long parseMillis(String value) {
        Double ms = parseNumber(value);
        return ms == null ? null : (long) Math.ceil(ms);
    }

    private static Long parseRetryAfter(String value, long nowEpochMillis) {
        if (value == null) {
            return null;
        }
        Double seconds = parseNumber(value);
        if (seconds != null) {
            return (long) Math.ceil(seconds * 1000);
        }
        try {
            Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, at.toEpochMilli() - nowEpochMillis);
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }

    private static Long earliestReset(Function<String, String> headerLookup, long nowEpochMillis) {
        Long earliest = null;
        for (String name : RATELIMIT_RESET_HEADERS) {
            String value = headerLookup.apply(name);
            if (value == null) {
                continue;
            }
            try {
                // RFC 3339 allows a lower-case 't' and 'z'; java.time only the upper-case ones.
                long at = OffsetDateTime.parse(value.trim().toUpperCase(Locale.ROOT)).toInstant().toEpochMilli();
                long delta = at - nowEpochMillis;
                if (delta > 0 && (earliest == null || delta < earliest)) {
                    earliest = delta;
                }
            } catch (DateTimeParseException | ArithmeticException e) {
                // not a date: ignore this header
            }
        }
        return earliest;
    }

    /** A non-negative finite decimal number, or null. Negative values mean nothing usable. */
    private static Double parseNumber(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty() || !(Character.isDigit(v.charAt(0)) || v.charAt(0) == '.')) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (!Character.isDigit(c) && c != '.') {
                return null;
            }
        }
        try {
            double d = Double.parseDouble(v);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long saturatedNanos(long millis) {
        return millis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
    }
}
