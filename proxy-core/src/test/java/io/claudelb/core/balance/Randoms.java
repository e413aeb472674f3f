package io.claudelb.core.balance;

import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/** Random sources for balancer tests. */
final class Randoms {
    private Randoms() {
    }

    /** One seeded generator handed out on every pick: repeatable counts from a single test thread. */
    static Supplier<RandomGenerator> seeded(long seed) {
        RandomGenerator random = new SplittableRandom(seed);
        return () -> random;
    }
}
