package io.claudelb.core.balance;

import static io.claudelb.core.balance.Fixtures.config;
import static io.claudelb.core.balance.Fixtures.decision;
import static io.claudelb.core.balance.Fixtures.upstream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.FakeNanoClock;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each strategy without affinity: sequences, distributions, fallback order, exclusion of tried upstreams. */
class StrategyTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final UpstreamConfig a = upstream("a", 3, 2);
    private final UpstreamConfig b = upstream("b", 1, 1);
    private final UpstreamConfig c = upstream("c", 1, 1);
    private final GatewayConfig config = config(Fixtures.balancing(AffinityMode.NONE), Fixtures.health(2, 1),
            a, b, c);
    private final BalancerState health = new BalancerState(config, clock, () -> 0L);
    private final DefaultBalancer balancer = new DefaultBalancer(config, health, clock, Randoms.seeded(42));

    private List<String> picks(RouteDecision decision, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(balancer.select(decision, SelectionContext.NONE, Set.of()).name());
        }
        return names;
    }

    private static Map<String, Integer> counts(List<String> names) {
        Map<String, Integer> counts = new TreeMap<>();
        names.forEach(n -> counts.merge(n, 1, Integer::sum));
        return counts;
    }

    private void open(UpstreamConfig u) {
        Target t = Fixtures.target(u);
        balancer.onFailure(t, FailureKind.CONNECT_REFUSED, 0);
        balancer.onFailure(t, FailureKind.CONNECT_REFUSED, 0);
    }

    @Test
    void smoothWeightedRoundRobinThreeToOneIsAABA() {
        RouteDecision route = decision("*", Strategy.ROUND_ROBIN, a, b);
        assertThat(picks(route, 8)).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
    }

    @Test
    void smoothWeightedRoundRobinMatchesNginxFiveOneOne() {
        UpstreamConfig x = upstream("a", 5, 0);
        UpstreamConfig y = upstream("b", 1, 0);
        UpstreamConfig z = upstream("c", 1, 0);
        RouteDecision route = decision("*", Strategy.ROUND_ROBIN, x, y, z);
        assertThat(picks(route, 7)).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void roundRobinSkipsAnOpenUpstreamAndKeepsTheOthersShares() {
        RouteDecision route = decision("*", Strategy.ROUND_ROBIN, a, b, c);
        open(a);
        assertThat(counts(picks(route, 100))).containsExactly(Map.entry("b", 50), Map.entry("c", 50));
    }

    @Test
    void roundRobinStateIsPerRoute() {
        RouteDecision opus = decision("*opus*", Strategy.ROUND_ROBIN, a, b);
        RouteDecision haiku = decision("*haiku*", Strategy.ROUND_ROBIN, a, b);
        List<String> opusPicks = new ArrayList<>();
        List<String> haikuPicks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            opusPicks.add(balancer.select(opus, SelectionContext.NONE, Set.of()).name());
            haikuPicks.add(balancer.select(haiku, SelectionContext.NONE, Set.of()).name());
        }
        assertThat(opusPicks).containsExactly("a", "a", "b", "a");
        assertThat(haikuPicks).containsExactly("a", "a", "b", "a");
    }

    @Test
    void weightedRandomFollowsWeightsWithASeededGenerator() {
        RouteDecision route = decision("*", Strategy.RANDOM, a, b, c);
        Map<String, Integer> counts = counts(picks(route, 50_000));
        assertThat(counts.get("a") / 50_000.0).isCloseTo(0.6, within(0.01));
        assertThat(counts.get("b") / 50_000.0).isCloseTo(0.2, within(0.01));
        assertThat(counts.get("c") / 50_000.0).isCloseTo(0.2, within(0.01));
    }

    @Test
    void weightedRandomIsRepeatableForOneSeed() {
        RouteDecision route = decision("*", Strategy.RANDOM, a, b, c);
        List<String> first = picks(route, 50);
        DefaultBalancer again = new DefaultBalancer(config, health, clock, Randoms.seeded(42));
        List<String> second = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            second.add(again.select(route, SelectionContext.NONE, Set.of()).name());
        }
        assertThat(second).isEqualTo(first);
    }

    @Test
    void leastRequestsPicksTheFewestInFlight() {
        RouteDecision route = decision("*", Strategy.LEAST_REQUESTS, a, b, c);
        balancer.onStart(Fixtures.target(a));
        balancer.onStart(Fixtures.target(a));
        balancer.onStart(Fixtures.target(b));
        assertThat(picks(route, 5)).containsOnly("c");
        balancer.onStart(Fixtures.target(c));
        balancer.onStart(Fixtures.target(c));
        assertThat(picks(route, 5)).containsOnly("b");
    }

    @Test
    void leastRequestsRotatesFairlyAmongTies() {
        RouteDecision route = decision("*", Strategy.LEAST_REQUESTS, a, b, c);
        assertThat(picks(route, 6)).containsExactly("a", "b", "c", "a", "b", "c");
        assertThat(counts(picks(route, 3_000))).containsExactly(Map.entry("a", 1_000), Map.entry("b", 1_000),
                Map.entry("c", 1_000));
    }

    @Test
    void leastRequestsUnderLoadSpreadsEvenly() {
        RouteDecision route = decision("*", Strategy.LEAST_REQUESTS, a, b, c);
        for (int i = 0; i < 30; i++) {
            balancer.onStart(balancer.select(route, SelectionContext.NONE, Set.of()));
        }
        assertThat(health.upstream("a").stats().inFlight()).isEqualTo(10);
        assertThat(health.upstream("b").stats().inFlight()).isEqualTo(10);
        assertThat(health.upstream("c").stats().inFlight()).isEqualTo(10);
    }

    @Test
    void priorityTakesTheLowestNumberThenConfigOrder() {
        RouteDecision route = decision("*", Strategy.PRIORITY, a, b, c);
        assertThat(picks(route, 3)).containsOnly("b");
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of("b")).name()).isEqualTo("c");
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of("b", "c")).name()).isEqualTo("a");
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of("a", "b", "c"))).isNull();
    }

    @Test
    void priorityFallsBackOnlyWhileTheBetterOneIsIneligible() {
        RouteDecision route = decision("*", Strategy.PRIORITY, a, b, c);
        open(b);
        assertThat(picks(route, 3)).containsOnly("c");
        clock.advance(Fixtures.OPEN_FOR);
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of()).name()).as("b's probe").isEqualTo("b");
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of()).name()).as("probe slot taken")
                .isEqualTo("c");
        balancer.onSuccess(Fixtures.target(b), 1_000_000);
        assertThat(picks(route, 3)).containsOnly("b");
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void triedUpstreamsAreNeverPickedAgain(Strategy strategy) {
        RouteDecision route = decision("*", strategy, a, b, c);
        for (int round = 0; round < 20; round++) {
            Set<String> tried = new HashSet<>();
            for (int attempt = 0; attempt < 3; attempt++) {
                Target t = balancer.select(route, SelectionContext.NONE, tried);
                assertThat(t).isNotNull();
                assertThat(tried.add(t.name())).as("%s picked %s twice", strategy, t.name()).isTrue();
            }
            assertThat(balancer.select(route, SelectionContext.NONE, tried)).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void nullWhenEveryUntriedCandidateIsOpenOrCooling(Strategy strategy) {
        RouteDecision route = decision("*", strategy, a, b, c);
        open(a);
        balancer.onFailure(Fixtures.target(b), FailureKind.HTTP_529, 5_000_000_000L);
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of("c"))).isNull();
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of()).name()).isEqualTo("c");
    }
}
