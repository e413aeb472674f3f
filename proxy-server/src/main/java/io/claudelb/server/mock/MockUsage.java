package io.claudelb.server.mock;

import java.util.Locale;

/**
 * Token counts the mock reports instead of its own figures (body bytes / 4 in, content length / 4 out, no cache),
 * set per request with {@code x-mock-usage: input=1200,output=345,cache_read=48000,cache_write_5m=1500,
 * cache_write_1h=800} (any subset; the rest are 0), so usage accounting can be checked against exact numbers. The
 * stream's {@code message_start} carries them with {@code output_tokens: 1}, as the API does, and
 * {@code message_delta} the final figures; a JSON answer carries them in its {@code usage}.
 */
record MockUsage(long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h) {
    static final String HEADER = "x-mock-usage";

    /** Cache writes of both TTLs ({@code cache_creation_input_tokens}). */
    long cacheCreation() {
        return cacheWrite5m + cacheWrite1h;
    }

    /**
     * Parses the header value; null for null.
     *
     * @throws IllegalArgumentException on an unknown key or a bad number (the mock answers 400)
     */
    static MockUsage parse(String value) {
        if (value == null) {
            return null;
        }
        long[] v = new long[5];
        for (String part : value.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(HEADER + ": expected key=number, got '" + p + "'");
            }
            int index = switch (p.substring(0, eq).trim().toLowerCase(Locale.ROOT)) {
                case "input" -> 0;
                case "output" -> 1;
                case "cache_read" -> 2;
                case "cache_write_5m" -> 3;
                case "cache_write_1h" -> 4;
                default -> throw new IllegalArgumentException(HEADER + ": unknown key '" + p.substring(0, eq)
                        + "'; expected input, output, cache_read, cache_write_5m, cache_write_1h");
            };
            try {
                v[index] = Long.parseLong(p.substring(eq + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(HEADER + ": '" + p + "' is not a whole number", e);
            }
            if (v[index] < 0) {
                throw new IllegalArgumentException(HEADER + ": '" + p + "' is negative");
            }
        }
        return new MockUsage(v[0], v[1], v[2], v[3], v[4]);
    }
}
