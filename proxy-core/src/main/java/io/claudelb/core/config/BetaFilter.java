package io.claudelb.core.config;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code anthropic-beta} flags an upstream receives ({@code upstreams[].betas}). Default: all, verbatim.
 * With {@code allow}, only listed flags pass; with {@code deny}, listed flags are removed.
 */
public record BetaFilter(Set<String> allow, Set<String> deny) {
    public static final BetaFilter ALL = new BetaFilter(null, Set.of());

    public BetaFilter {
        allow = allow == null ? null : lower(allow);
        deny = deny == null ? Set.of() : lower(deny);
    }

    private static Set<String> lower(Set<String> flags) {
        return flags.stream().map(f -> f.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    public boolean passesAll() {
        return allow == null && deny.isEmpty();
    }

    /** Filters one comma-separated header value; returns null when nothing is left. */
    public String apply(String headerValue) {
        if (passesAll() || headerValue == null) {
            return headerValue;
        }
        List<String> kept = java.util.Arrays.stream(headerValue.split(","))
                .map(String::trim)
                .filter(f -> !f.isEmpty())
                .filter(f -> {
                    String key = f.toLowerCase(Locale.ROOT);
                    return (allow == null || allow.contains(key)) && !deny.contains(key);
                })
                .toList();
        return kept.isEmpty() ? null : String.join(",", kept);
    }
}
