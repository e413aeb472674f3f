package io.claudelb.core.balance;

import static io.claudelb.core.balance.Fixtures.config;
import static io.claudelb.core.balance.Fixtures.decision;
import static io.claudelb.core.balance.Fixtures.target;
import static io.claudelb.core.balance.Fixtures.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.FakeNanoClock;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Smoke tests with several threads standing in for event loops: counters and shared state stay exact. */
class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ITERATIONS = 4_000;

    private final FakeNanoClock clock = new FakeNanoClock();
    private final UpstreamConfig a = upstream("a", 3, 0);
    private final UpstreamConfig b = upstream("b", 1, 0);
    private final UpstreamConfig c = upstream("c", 1, 0);
    private final GatewayConfig config = config(Fixtures.balancing(AffinityMode.SESSION), Fixtures.health(3, 2),
            a, b, c);
    private final BalancerState health = new BalancerState(config, clock, () -> 0L);
    private final DefaultBalancer balancer = new DefaultBalancer(config, health, clock, ThreadLocalRandom::current);
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    /** Runs {@code work} on every thread at once (released by one latch) and waits for all. */
    private void onAllThreads(Callable<Void> work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Void>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                return work.call();
            }));
        }
        start.countDown();
        for (Future<Void> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void inFlightAndTotalsStayConsistent() throws Exception {
        RouteDecision route = decision("*", Strategy.LEAST_REQUESTS, a, b, c);
        AtomicInteger sessions = new AtomicInteger();
        onAllThreads(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                SelectionContext context = new SelectionContext("s" + sessions.incrementAndGet() % 100, null);
                Target t = balancer.select(route, context, Set.of());
                balancer.onStart(t);
                balancer.onSuccess(t, 1_000_000);
                balancer.onEnd(t, 10);
            }
            return null;
        });
        long total = 0;
        long bytes = 0;
        for (String name : List.of("a", "b", "c")) {
            UpstreamHealth h = health.upstream(name);
            assertThat(h.stats().inFlight()).isZero();
            total += h.stats().totalRequests();
            bytes += h.stats().bytesToClients();
        }
        assertThat(total).isEqualTo((long) THREADS * ITERATIONS);
        assertThat(bytes).isEqualTo(10L * THREADS * ITERATIONS);
        long bindings = health.snapshot().upstreams().stream().mapToLong(u -> u.affinityBindings()).sum();
        assertThat(bindings).isEqualTo(health.snapshot().affinityEntries()).isEqualTo(100);
    }

    @Test
    void concurrentRoundRobinKeepsExactWeights() throws Exception {
        RouteDecision route = decision("*", Strategy.ROUND_ROBIN, a, b);
        ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();
        onAllThreads(() -> {
            for (int i = 0; i < ITERATIONS; i++) {
                Target t = balancer.select(route, SelectionContext.NONE, Set.of());
                counts.computeIfAbsent(t.name(), k -> new LongAdder()).increment();
            }
            return null;
        });
        long picks = (long) THREADS * ITERATIONS;
        assertThat(counts.get("a").sum()).isEqualTo(picks * 3 / 4);
        assertThat(counts.get("b").sum()).isEqualTo(picks / 4);
    }

    @Test
    void halfOpenAdmitsExactlyTheProbeLimitUnderRace() throws Exception {
        Target ta = target(a);
        for (int i = 0; i < 3; i++) {
            balancer.onFailure(ta, FailureKind.CONNECT_REFUSED, 0);
        }
        clock.advance(Fixtures.OPEN_FOR);
        RouteDecision only = decision("*", Strategy.PRIORITY, a);
        AtomicInteger admitted = new AtomicInteger();
        onAllThreads(() -> {
            for (int i = 0; i < 100; i++) {
                if (balancer.select(only, SelectionContext.NONE, Set.of()) != null) {
                    admitted.incrementAndGet();
                }
            }
            return null;
        });
        assertThat(admitted.get()).isEqualTo(2);
    }

    @Test
    void concurrentFailuresOpenTheBreakerOnce() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        onAllThreads(() -> {
            for (int i = 0; i < 100; i++) {
                if (health.upstream("a").breaker().onFailure(clock.nanoTime())) {
                    opened.incrementAndGet();
                }
            }
            return null;
        });
        assertThat(opened.get()).isEqualTo(1);
        assertThat(health.upstream("a").breaker().consecutiveFailures()).isEqualTo(THREADS * 100);
        assertThat(balancer.select(decision("*", Strategy.PRIORITY, a), SelectionContext.NONE, Set.of())).isNull();
    }
}
