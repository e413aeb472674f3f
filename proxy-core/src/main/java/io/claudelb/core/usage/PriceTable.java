package io.claudelb.core.usage;

import io.claudelb.core.match.ModelPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Model pattern -> price: the configured {@code prices:} lines in file order, then the built-in list prices of
 * Claude models ({@link #BUILT_IN}); the first line that applies wins. Patterns are globs that match inside a name,
 * so a Databricks endpoint ({@code databricks-claude-opus-4-7}) or a dated id ({@code claude-opus-4-1-20250805})
 * prices as the model it names.
 *
 * <p>A table is immutable and part of a config snapshot. Lookups are cached per (upstream, model), bounded so that
 * arbitrary client-chosen model names cannot grow it; safe from any thread.
 */
public final class PriceTable {
    /**
     * Anthropic's list prices per million tokens (input / output; cache prices by the standard multipliers).
     * Order matters: the older Opus generations are priced before the catch-all {@code *opus*}.
     */
    public static final List<PriceEntry> BUILT_IN = List.of(
            // Claude Opus 4 and 4.1 (and Claude 3 Opus): $15 / $75.
            PriceEntry.of("*opus-4-1*", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*opus-4", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*opus-4-0*", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*opus-4-2025*", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*opus-4@*", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*3-opus*", ModelPrice.perMillion("15", "75")),
            PriceEntry.of("*opus-3*", ModelPrice.perMillion("15", "75")),
            // Opus 4.5, 4.6, 4.7 and every newer Opus: $5 / $25.
            PriceEntry.of("*opus*", ModelPrice.perMillion("5", "25")),
            // Every Sonnet (3.5, 3.7, 4, 4.5, 4.6, ...): $3 / $15.
            PriceEntry.of("*sonnet*", ModelPrice.perMillion("3", "15")),
            // Haiku 3 and 3.5 were cheaper than Haiku 4.5.
            PriceEntry.of("*3-haiku*", ModelPrice.perMillion("0.25", "1.25")),
            PriceEntry.of("*3-5-haiku*", ModelPrice.perMillion("0.8", "4")),
            PriceEntry.of("*haiku*", ModelPrice.perMillion("1", "5")));

    public static final PriceTable DEFAULTS = new PriceTable(List.of());

    private static final int MAX_CACHED = 4096;
    private static final ModelPrice UNPRICED = new ModelPrice(0, 0, 0, 0, 0);

    private final List<PriceEntry> configured;
    private final List<PriceEntry> entries;
    private final ModelPattern[] patterns;
    private final Map<String, ModelPrice> cache = new ConcurrentHashMap<>();

    /** @param configured the {@code prices:} lines, tried before the built-in ones */
    public PriceTable(List<PriceEntry> configured) {
        this.configured = List.copyOf(configured);
        List<PriceEntry> all = new ArrayList<>(this.configured);
        all.addAll(BUILT_IN);
        this.entries = List.copyOf(all);
        this.patterns = entries.stream().map(PriceEntry::pattern).toArray(ModelPattern[]::new);
    }

    /** The configured lines (without the built-in ones). */
    public List<PriceEntry> configured() {
        return configured;
    }

    /** Configured lines, then built-in ones: the order lookups try them in. */
    public List<PriceEntry> entries() {
        return entries;
    }

    /**
     * The price of {@code model} as billed by {@code upstream} (null when no upstream was called), or null when no
     * line covers it.
     */
    public ModelPrice lookup(String model, String upstream) {
        if (model == null) {
            return null;
        }
        String key = upstream == null ? model : upstream + '\u0000' + model;
        ModelPrice cached = cache.get(key);
        if (cached == null) {
            cached = find(model, upstream);
            if (cache.size() < MAX_CACHED) {
                cache.put(key, cached);
            }
        }
        return cached == UNPRICED ? null : cached;
    }

    private ModelPrice find(String model, String upstream) {
        for (int i = 0; i < patterns.length; i++) {
            PriceEntry e = entries.get(i);
            if ((e.upstream() == null || e.upstream().equals(upstream)) && patterns[i].matches(model)) {
                return e.price();
            }
        }
        return UNPRICED;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PriceTable other && configured.equals(other.configured);
    }

    @Override
    public int hashCode() {
        return Objects.hash(configured);
    }

    @Override
    public String toString() {
        return "PriceTable" + configured;
    }
}
