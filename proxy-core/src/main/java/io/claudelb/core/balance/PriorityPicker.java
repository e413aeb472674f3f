package io.claudelb.core.balance;

import io.claudelb.core.route.Target;
import java.util.List;

/**
 * {@code priority}: the eligible target with the lowest priority number, the first in config order among equals.
 * The next one is used only when every better one is tried, open or cooling: a fixed order, no spreading.
 */
final class PriorityPicker implements TargetPicker {
    @Override
    public int pick(List<Target> targets, boolean[] eligible, RouteState route) {
        int best = -1;
        for (int i = 0; i < targets.size(); i++) {
            if (eligible[i] && (best < 0 || targets.get(i).priority() < targets.get(best).priority())) {
                best = i;
            }
        }
        return best;
    }
}
