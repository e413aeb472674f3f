package io.claudelb.core.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config durations: {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 2d}, compounds such as
 * {@code 1h30m}, or a bare number of seconds ({@code 60}, {@code 0.5}). {@link #format} prints the same notation,
 * so {@code check-config} output can be pasted back into a file.
 */
public final class Durations {
    private static final Pattern BARE = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final BigInteger MAX_NANOS = BigInteger.valueOf(Long.MAX_VALUE);

    private Durations() {
    }

    /** Parses one value; anything else is a {@link ConfigException} naming {@code key}. */
    public static Duration parse(String key, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        BigDecimal nanos;
        if (BARE.matcher(s).matches()) {
            nanos = new BigDecimal(s).multiply(BigDecimal.valueOf(1_000_000_000L));
        } else {
            nanos = BigDecimal.ZERO;
            Matcher m = PART.matcher(s);
            int at = 0;
            while (at < s.length() && m.find(at) && m.start() == at) {
                nanos = nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
                at = m.end();
            }
            if (s.isEmpty() || at != s.length()) {
                throw new ConfigException(key, "expected a duration such as 500ms, 90s, 10m, 1h or a number of "
                        + "seconds, got '" + text + "'");
            }
        }
        BigInteger whole = nanos.toBigInteger();
        if (whole.compareTo(MAX_NANOS) > 0) {
            throw new ConfigException(key, "duration '" + text + "' is too long");
        }
        return Duration.ofNanos(whole.longValueExact());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            case "d" -> 86_400_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /** Compact form: {@code 1h30m}, {@code 90s} prints as {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        StringBuilder out = new StringBuilder();
        long days = d.toDays();
        append(out, days, "d");
        append(out, d.toHoursPart(), "h");
        append(out, d.toMinutesPart(), "m");
        append(out, d.toSecondsPart(), "s");
        append(out, d.toMillisPart(), "ms");
        long nanos = d.toNanosPart() % 1_000_000;
        append(out, nanos, "ns");
        return out.toString();
    }

    private static void append(StringBuilder out, long value, String unit) {
        if (value != 0) {
            out.append(value).append(unit);
        }
    }
}
