package io.claudelb.core.config;

import java.util.List;

/**
 * One route ({@code routes[]}): a model pattern (exact name or {@code *} glob, anchored, case-insensitive) and its
 * targets. The first matching route wins.
 *
 * @param match    the pattern
 * @param targets  where matching requests may go
 * @param strategy overrides {@code balancing.strategy} for this route, or null
 * @param dedup    false turns in-flight coalescing off for this route ({@code dedup: false}); true follows
 *                 {@code dedup.enabled}
 */
public record RouteConfig(String match, List<TargetConfig> targets, Strategy strategy, boolean dedup) {

    /** A route that follows the global coalescing setting. */
    public RouteConfig(String match, List<TargetConfig> targets, Strategy strategy) {
        this(match, targets, strategy, true);
    }

    public RouteConfig {
        Checks.notBlank("match", match);
        if (targets == null || targets.isEmpty()) {
            throw new ConfigException("targets", "must list at least one upstream");
        }
        targets = List.copyOf(targets);
    }
}
