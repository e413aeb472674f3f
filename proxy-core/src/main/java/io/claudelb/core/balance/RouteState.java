package io.claudelb.core.balance;

import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The pickers' memory for one route, keyed by the route's match and its target names ({@link Key}) so two routes
 * never share a rotation. Lock-free.
 */
final class RouteState {
    /** A route's identity for picker state: its pattern plus its target names in order. */
    record Key(String match, List<String> targetNames) {
        static Key of(RouteDecision decision) {
            List<Target> targets = decision.targets();
            String[] names = new String[targets.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = targets.get(i).name();
            }
            return new Key(decision.routeMatch(), List.of(names));
        }
    }

    /** Smooth weighted round robin's current weights, by target index; replaced as a whole on each pick. */
    final AtomicReference<long[]> currentWeights = new AtomicReference<>(new long[0]);

    /** Rotates least_requests' choice among targets tied for the fewest in-flight requests. */
    final AtomicLong tieBreaker = new AtomicLong();
}
