package io.claudelb.core.usage;

import io.claudelb.core.match.ModelPattern;
import java.util.Objects;

/**
 * One line of the price table: the models it covers (a route-style anchored, case-insensitive glob), optionally
 * only on one upstream (a Databricks workspace or a relay that bills differently), and their price.
 *
 * @param match    model pattern, matched against the model the upstream ran (the target model)
 * @param upstream the only upstream this line applies to, or null for every upstream
 * @param price    per-token prices
 */
public record PriceEntry(String match, String upstream, ModelPrice price) {
    public PriceEntry {
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(price, "price");
    }

    public static PriceEntry of(String match, ModelPrice price) {
        return new PriceEntry(match, null, price);
    }

    /** The compiled pattern (the table keeps one per line). */
    ModelPattern pattern() {
        return new ModelPattern(match);
    }
}
