package io.claudelb.core.balance;

import static io.claudelb.core.balance.Fixtures.config;
import static io.claudelb.core.balance.Fixtures.decision;
import static io.claudelb.core.balance.Fixtures.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FakeNanoClock;
import io.claudelb.core.route.RouteDecision;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The {@code random} strategy takes its generator per pick on the picking thread: one balancer serves every event
 * loop, so a {@code ThreadLocalRandom} captured once would be one generator shared (and contended) by all loops.
 */
class RandomPerPickTest {
    private static final int PICKS = 500;

    @Test
    void everyPickAsksForTheGeneratorOnItsOwnThread() throws InterruptedException {
        FakeNanoClock clock = new FakeNanoClock();
        UpstreamConfig a = upstream("a", 1, 0);
        UpstreamConfig b = upstream("b", 1, 0);
        GatewayConfig config = config(Fixtures.balancing(AffinityMode.NONE), Fixtures.health(3, 2), a, b);
        BalancerState health = new BalancerState(config, clock, () -> 0L);
        Map<String, AtomicInteger> asksByThread = new ConcurrentHashMap<>();
        Supplier<RandomGenerator> perThread = () -> {
            asksByThread.computeIfAbsent(Thread.currentThread().getName(), n -> new AtomicInteger()).incrementAndGet();
            return new SplittableRandom(Thread.currentThread().getName().hashCode());
        };
        DefaultBalancer balancer = new DefaultBalancer(config, health, clock, perThread);
        RouteDecision route = decision("*", Strategy.RANDOM, a, b);
        asksByThread.clear();

        Thread first = new Thread(() -> pick(balancer, route), "loop-1");
        Thread second = new Thread(() -> pick(balancer, route), "loop-2");
        first.start();
        second.start();
        first.join();
        second.join();

        assertThat(asksByThread).containsOnlyKeys("loop-1", "loop-2");
        assertThat(asksByThread.get("loop-1")).hasValue(PICKS);
        assertThat(asksByThread.get("loop-2")).hasValue(PICKS);
    }

    private static void pick(DefaultBalancer balancer, RouteDecision route) {
        for (int i = 0; i < PICKS; i++) {
            balancer.select(route, SelectionContext.NONE, Set.of());
        }
    }
}
