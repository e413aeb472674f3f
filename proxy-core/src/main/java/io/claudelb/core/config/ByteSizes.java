package io.claudelb.core.config;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config sizes: a bare number of bytes, or a number with a unit: binary {@code KiB MiB GiB} (1024-based) or
 * decimal {@code KB MB GB} (1000-based), case-insensitive ({@code 32MiB}, {@code 16KiB}, {@code 1MB}, {@code 512B}).
 */
public final class ByteSizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmg]i?b|b)?");
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;

    private ByteSizes() {
    }

    /** Parses one value; anything else is a {@link ConfigException} naming {@code key}. */
    public static long parse(String key, String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new ConfigException(key, "expected a size such as 32MiB, 16KiB, 1MB or a number of bytes, got '"
                    + text + "'");
        }
        long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
            case "kb" -> 1_000L;
            case "mb" -> 1_000_000L;
            case "gb" -> 1_000_000_000L;
            case "kib" -> KIB;
            case "mib" -> MIB;
            case "gib" -> GIB;
            default -> 1L;
        };
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        try {
            return bytes.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw new ConfigException(key, "size '" + text + "' must be a whole number of bytes below 2^63");
        }
    }

    /** The exact value in the largest unit that divides it: {@code 32MiB}, {@code 1MB}, {@code 1500B}. */
    public static String format(long bytes) {
        long[] units = {GIB, MIB, KIB, 1_000_000_000L, 1_000_000L, 1_000L};
        String[] names = {"GiB", "MiB", "KiB", "GB", "MB", "KB"};
        for (int i = 0; i < units.length; i++) {
            if (bytes != 0 && bytes % units[i] == 0) {
                return bytes / units[i] + names[i];
            }
        }
        return bytes + "B";
    }
}
