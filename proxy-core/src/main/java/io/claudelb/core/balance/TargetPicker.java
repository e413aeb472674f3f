package io.claudelb.core.balance;

import io.claudelb.core.route.Target;
import java.util.List;

/**
 * One balancing strategy: chooses among a route's eligible targets. {@link DefaultBalancer} has already removed
 * tried, open and cooling targets (their {@code eligible} entry is false) and checks the breaker of whatever is
 * chosen; a picker only ranks. Implementations are thread-safe.
 */
interface TargetPicker {
    /**
     * @param targets  the route's targets in config order
     * @param eligible same length: which of them may be chosen (at least one is true)
     * @param route    this route's mutable picker state
     * @return the index of the chosen target
     */
    int pick(List<Target> targets, boolean[] eligible, RouteState route);

    /** A target's share for weighted pickers: router targets weigh at least 1; a hand-built 0 counts as 1. */
    static long weight(Target t) {
        return Math.max(1, t.weight());
    }
}
