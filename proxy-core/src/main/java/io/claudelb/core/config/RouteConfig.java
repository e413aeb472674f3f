package io.claudelb.core.config;

import java.util.List;

/**
 * One route ({@code routes[]}): a model pattern (exact name or {@code *} glob, anchored, case-insensitive) and its
 * targets. The first matching route wins.
 *
 * @param match    the pattern
 * @param targets  where matching requests may go
 * @param strategy overrides {@code balancing.strategy} for this route, or null
 */
public record RouteConfig(String match, List<TargetConfig> targets, Strategy strategy) {
    public RouteConfig {
        Checks.notBlank("match", match);
        if (targets == null || targets.isEmpty()) {
            throw new ConfigException("targets", "must list at least one upstream");
        }
        targets = List.copyOf(targets);
    }
}
