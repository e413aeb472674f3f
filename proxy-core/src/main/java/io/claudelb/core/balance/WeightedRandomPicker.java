package io.claudelb.core.balance;

import io.claudelb.core.route.Target;
import java.util.List;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code random}: each eligible target with probability weight / (sum of eligible weights). The generator is
 * injected and asked for on every pick, on the picking thread: production passes {@code ThreadLocalRandom::current}
 * (one picker serves every event loop, and a {@code ThreadLocalRandom} captured once would be shared by all of
 * them), tests a seeded {@code SplittableRandom} for repeatable counts.
 */
final class WeightedRandomPicker implements TargetPicker {
    private final Supplier<? extends RandomGenerator> random;

    WeightedRandomPicker(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public int pick(List<Target> targets, boolean[] eligible, RouteState route) {
        long total = 0;
        for (int i = 0; i < targets.size(); i++) {
            if (eligible[i]) {
                total += TargetPicker.weight(targets.get(i));
            }
        }
        if (total <= 0) {
            return -1;
        }
        long r = random.get().nextLong(total);
        for (int i = 0; i < targets.size(); i++) {
            if (eligible[i]) {
                r -= TargetPicker.weight(targets.get(i));
                if (r < 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("weights changed during a pick");
    }
}
