package io.claudelb.core.config;

import java.util.Locale;

/** How one upstream is picked among a route's eligible targets ({@code balancing.strategy}). */
public enum Strategy {
    /** Fewest in-flight requests; ties broken fairly. */
    LEAST_REQUESTS,
    /** Smooth weighted round robin. */
    ROUND_ROBIN,
    /** Weighted random. */
    RANDOM,
    /** Lowest priority number first; the next only when the first is ineligible or fails. */
    PRIORITY;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Strategy parse(String key, String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "unknown strategy '" + value
                    + "' (least_requests, round_robin, random, priority)");
        }
    }
}
