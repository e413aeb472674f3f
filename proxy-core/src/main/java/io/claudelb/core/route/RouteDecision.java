package io.claudelb.core.route;

import io.claudelb.core.config.Strategy;
import java.util.List;

/**
 * What the router says about one request: the candidates in route order and the strategy that picks among them.
 *
 * @param requestedModel the client's model
 * @param routeMatch     the pattern of the route that matched (stats and logs)
 * @param targets        candidates, never empty
 * @param strategy       how to pick among them
 * @param dedup          the route allows in-flight coalescing (false: {@code dedup: false} on the route)
 */
public record RouteDecision(String requestedModel, String routeMatch, List<Target> targets, Strategy strategy,
                            boolean dedup) {

    /** A decision of a route that allows coalescing. */
    public RouteDecision(String requestedModel, String routeMatch, List<Target> targets, Strategy strategy) {
        this(requestedModel, routeMatch, targets, strategy, true);
    }

    public RouteDecision {
        targets = List.copyOf(targets);
    }

    /** The candidate for an upstream name, or null when that upstream is not a target of this request. */
    public Target target(String upstreamName) {
        for (Target t : targets) {
            if (t.name().equals(upstreamName)) {
                return t;
            }
        }
        return null;
    }
}
