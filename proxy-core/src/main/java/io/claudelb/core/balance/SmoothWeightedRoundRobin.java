package io.claudelb.core.balance;

import io.claudelb.core.route.Target;
import java.util.List;

/**
 * {@code round_robin}: nginx's smooth weighted round robin. Each pick adds every eligible target's weight to its
 * current weight, takes the largest (the first in config order on a tie) and subtracts the eligible total from it.
 * Weights 3:1 give a, a, b, a, repeating; the heavy target's turns are spread out, not bunched.
 * An ineligible target sits out without gaining, so the others keep their relative shares.
 *
 * <p>The current weights are replaced as one array by compare-and-set: a few longs copied per pick, no lock.
 */
final class SmoothWeightedRoundRobin implements TargetPicker {
    @Override
    public int pick(List<Target> targets, boolean[] eligible, RouteState route) {
        int n = targets.size();
        while (true) {
            long[] current = route.currentWeights.get();
            long[] next = current.length == n ? current.clone() : new long[n];
            long total = 0;
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (!eligible[i]) {
                    continue;
                }
                long weight = TargetPicker.weight(targets.get(i));
                next[i] += weight;
                total += weight;
                if (best < 0 || next[i] > next[best]) {
                    best = i;
                }
            }
            if (best < 0) {
                return -1;
            }
            next[best] -= total;
            if (route.currentWeights.compareAndSet(current, next)) {
                return best;
            }
        }
    }
}
