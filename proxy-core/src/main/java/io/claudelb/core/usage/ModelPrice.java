package io.claudelb.core.usage;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * What one model costs per token, by kind, in pico-dollars (1e-12 USD) per token, which is the same number as
 * micro-dollars per million tokens: $3 per million is 3,000,000. Integers keep cost arithmetic exact for every
 * published price (they have at most six decimals per million tokens), and a sum over any realistic traffic stays
 * far below {@code Long.MAX_VALUE}.
 *
 * @param input        uncached input tokens
 * @param output       output tokens
 * @param cacheRead    input tokens read from the prompt cache (Anthropic: 0.1x input)
 * @param cacheWrite5m input tokens written to the cache with the 5-minute TTL (1.25x input)
 * @param cacheWrite1h input tokens written to the cache with the 1-hour TTL (2x input)
 */
public record ModelPrice(long input, long output, long cacheRead, long cacheWrite5m, long cacheWrite1h) {
    /** Multipliers of the input price that Anthropic publishes for prompt caching. */
    public static final BigDecimal CACHE_READ_FACTOR = new BigDecimal("0.1");
    public static final BigDecimal CACHE_WRITE_5M_FACTOR = new BigDecimal("1.25");
    public static final BigDecimal CACHE_WRITE_1H_FACTOR = new BigDecimal("2");
    private static final BigDecimal PICOS_PER_DOLLAR_PER_MILLION = BigDecimal.valueOf(1_000_000);

    public ModelPrice {
        if (input < 0 || output < 0 || cacheRead < 0 || cacheWrite5m < 0 || cacheWrite1h < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }

    /**
     * Prices in USD per million tokens; a null cache price takes Anthropic's multiplier of {@code input}.
     *
     * @throws IllegalArgumentException when a price is negative or finer than a micro-dollar per million tokens
     */
    public static ModelPrice perMillion(BigDecimal input, BigDecimal output, BigDecimal cacheRead,
                                        BigDecimal cacheWrite5m, BigDecimal cacheWrite1h) {
        return new ModelPrice(picos(input, "input"), picos(output, "output"),
                picos(cacheRead != null ? cacheRead : input.multiply(CACHE_READ_FACTOR), "cache_read"),
                picos(cacheWrite5m != null ? cacheWrite5m : input.multiply(CACHE_WRITE_5M_FACTOR), "cache_write_5m"),
                picos(cacheWrite1h != null ? cacheWrite1h : input.multiply(CACHE_WRITE_1H_FACTOR), "cache_write_1h"));
    }

    /** Input and output per million tokens, cache prices by Anthropic's multipliers. */
    public static ModelPrice perMillion(String input, String output) {
        return perMillion(new BigDecimal(input), new BigDecimal(output), null, null, null);
    }

    private static long picos(BigDecimal usdPerMillion, String kind) {
        if (usdPerMillion.signum() < 0) {
            throw new IllegalArgumentException(kind + " price must not be negative, got " + usdPerMillion);
        }
        BigDecimal picos = usdPerMillion.multiply(PICOS_PER_DOLLAR_PER_MILLION);
        try {
            return picos.setScale(0, RoundingMode.UNNECESSARY).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(kind + " price " + usdPerMillion.toPlainString()
                    + " has more than six decimals or is too large", e);
        }
    }

    /**
     * The cost of one answer in nano-dollars (1e-9 USD, the unit usage records store), rounded half up.
     */
    public long costNanos(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWrite5mTokens,
                          long cacheWrite1hTokens) {
        long picos = Math.addExact(Math.addExact(Math.multiplyExact(inputTokens, input),
                        Math.multiplyExact(outputTokens, output)),
                Math.addExact(Math.addExact(Math.multiplyExact(cacheReadTokens, cacheRead),
                        Math.multiplyExact(cacheWrite5mTokens, cacheWrite5m)),
                        Math.multiplyExact(cacheWrite1hTokens, cacheWrite1h)));
        return (picos + 500) / 1000;
    }

    /** A price in USD per million tokens, for documents and reports ({@code 3.75}). */
    public static BigDecimal usdPerMillion(long picos) {
        return BigDecimal.valueOf(picos, 6).stripTrailingZeros();
    }
}
