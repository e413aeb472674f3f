package io.claudelb.core.balance;

import io.claudelb.core.route.Target;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * {@code least_requests}: the eligible target with the fewest attempts in flight. Weight is not used. Ties rotate:
 * each tied pick takes the next of the tied targets (by a per-route counter), so with equal load every target gets
 * an equal share and no target is favoured for being first in the config (seed A's bug).
 */
final class LeastRequestsPicker implements TargetPicker {
    private final ToLongFunction<Target> inFlight;

    LeastRequestsPicker(ToLongFunction<Target> inFlight) {
        this.inFlight = inFlight;
    }

    @Override
    public int pick(List<Target> targets, boolean[] eligible, RouteState route) {
        int n = targets.size();
        long[] load = new long[n];
        long min = Long.MAX_VALUE;
        int tied = 0;
        for (int i = 0; i < n; i++) {
            if (!eligible[i]) {
                continue;
            }
            load[i] = inFlight.applyAsLong(targets.get(i));
            if (load[i] < min) {
                min = load[i];
                tied = 1;
            } else if (load[i] == min) {
                tied++;
            }
        }
        if (tied == 0) {
            return -1;
        }
        int skip = tied == 1 ? 0 : (int) Math.floorMod(route.tieBreaker.getAndIncrement(), (long) tied);
        for (int i = 0; i < n; i++) {
            if (eligible[i] && load[i] == min && skip-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("no tied target found");
    }
}
