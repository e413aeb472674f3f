package io.claudelb.core.balance;

import static io.claudelb.core.balance.Fixtures.config;
import static io.claudelb.core.balance.Fixtures.decision;
import static io.claudelb.core.balance.Fixtures.target;
import static io.claudelb.core.balance.Fixtures.upstream;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.FakeNanoClock;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Session affinity: stickiness, one counted rebind, failover rebinding, route isolation, expiry, bounds. */
class AffinityTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final UpstreamConfig a = upstream("a");
    private final UpstreamConfig b = upstream("b");
    private final UpstreamConfig c = upstream("c");
    private final RouteDecision route = decision("*", Strategy.LEAST_REQUESTS, a, b, c);

    private BalancerState health;
    private DefaultBalancer balancer;

    private void build(BalancingSettings balancing) {
        GatewayConfig config = config(balancing, Fixtures.health(2, 1), a, b, c);
        health = new BalancerState(config, clock, () -> 0L);
        balancer = new DefaultBalancer(config, health, clock, Randoms.seeded(1));
    }

    private void build(AffinityMode mode) {
        build(Fixtures.balancing(mode));
    }

    private static SelectionContext session(String key) {
        return new SelectionContext(key, null);
    }

    private String pick(RouteDecision decision, SelectionContext context) {
        Target t = balancer.select(decision, context, Set.of());
        balancer.onStart(t);
        return t.name();
    }

    private void open(String name) {
        UpstreamConfig u = health.upstream(name).config();
        balancer.onFailure(target(u), FailureKind.CONNECT_TIMEOUT, 0);
        balancer.onFailure(target(u), FailureKind.CONNECT_TIMEOUT, 0);
    }

    @Test
    void aSessionStaysOnItsUpstreamWhateverTheLoad() {
        build(AffinityMode.SESSION);
        String first = pick(route, session("s1"));
        for (int i = 0; i < 20; i++) {
            assertThat(pick(route, session("s1"))).isEqualTo(first);
        }
        assertThat(health.upstream(first).stats().inFlight()).isEqualTo(21);
        assertThat(health.upstream(first).stats().affinityBindings()).isEqualTo(1);
        assertThat(health.rebinds()).isZero();
    }

    @Test
    void differentSessionsStillSpread() {
        build(AffinityMode.SESSION);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            used.add(pick(route, session("s" + i)));
        }
        assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(health.snapshot().affinityEntries()).isEqualTo(3);
    }

    @Test
    void anOpenBoundUpstreamLosesTheSessionOnceAndTheRebindIsCounted() {
        build(AffinityMode.SESSION);
        String first = pick(route, session("s1"));
        open(first);
        String second = pick(route, session("s1"));
        assertThat(second).isNotEqualTo(first);
        for (int i = 0; i < 5; i++) {
            assertThat(pick(route, session("s1"))).isEqualTo(second);
        }
        assertThat(health.rebinds()).isEqualTo(1);
        assertThat(health.upstream(first).stats().rebinds()).isEqualTo(1);
        assertThat(health.upstream(first).stats().affinityBindings()).isZero();
        assertThat(health.upstream(second).stats().affinityBindings()).isEqualTo(1);

        clock.advance(Fixtures.OPEN_FOR);
        balancer.onSuccess(target(health.upstream(first).config()), 1);
        assertThat(pick(route, session("s1"))).as("no flip back once recovered").isEqualTo(second);
        assertThat(health.rebinds()).isEqualTo(1);
    }

    @Test
    void aCoolingBoundUpstreamLosesTheSession() {
        build(AffinityMode.SESSION);
        String first = pick(route, session("s1"));
        balancer.onFailure(target(health.upstream(first).config()), FailureKind.HTTP_429,
                Duration.ofSeconds(5).toNanos());
        assertThat(pick(route, session("s1"))).isNotEqualTo(first);
        assertThat(health.upstream(first).stats().rebinds()).isEqualTo(1);
    }

    @Test
    void aFailoverLeavesTheSessionOnTheUpstreamThatAnswered() {
        build(AffinityMode.SESSION);
        String first = pick(route, session("s1"));
        Target retry = balancer.select(route, session("s1"), Set.of(first));
        assertThat(retry.name()).isNotEqualTo(first);
        balancer.onSuccess(retry, 1);
        assertThat(pick(route, session("s1"))).isEqualTo(retry.name());
        assertThat(health.upstream(first).stats().rebinds()).isEqualTo(1);
    }

    @Test
    void bindingsDoNotLeakAcrossRoutes() {
        build(AffinityMode.SESSION);
        RouteDecision opus = decision("*opus*", Strategy.LEAST_REQUESTS, a, b);
        RouteDecision haiku = decision("*haiku*", Strategy.LEAST_REQUESTS, a, b);
        assertThat(pick(opus, session("s1"))).isEqualTo("a");
        // a is now the busier one: a leaked binding would send the haiku request there anyway.
        assertThat(pick(haiku, session("s1"))).isEqualTo("b");
        assertThat(pick(opus, session("s1"))).isEqualTo("a");
        assertThat(pick(haiku, session("s1"))).isEqualTo("b");
        assertThat(health.rebinds()).isZero();
    }

    @Test
    void neverFollowsABindingToAnUpstreamThatIsNotATarget() {
        build(AffinityMode.SESSION);
        RouteDecision before = decision("*", Strategy.PRIORITY, a, b);
        assertThat(pick(before, session("s1"))).isEqualTo("a");
        RouteDecision after = decision("*", Strategy.PRIORITY, b, c);
        assertThat(pick(after, session("s1"))).isEqualTo("b");
        assertThat(pick(after, session("s1"))).isEqualTo("b");
        assertThat(health.rebinds()).as("a config change is not a health rebind").isZero();
        assertThat(health.upstream("a").stats().affinityBindings()).isZero();
    }

    @Test
    void clientKeyModeBindsByClientName() {
        build(AffinityMode.CLIENT_KEY);
        String first = balancer.select(route, new SelectionContext("s1", "alice"), Set.of()).name();
        balancer.onStart(target(health.upstream(first).config()));
        for (int i = 0; i < 5; i++) {
            assertThat(pick(route, new SelectionContext("other-session-" + i, "alice"))).isEqualTo(first);
        }
    }

    @Test
    void noneModeNeverBinds() {
        build(AffinityMode.NONE);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            used.add(pick(route, session("s1")));
        }
        assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(health.snapshot().affinityEntries()).isZero();
    }

    @Test
    void aRequestWithoutAKeyIsBalancedFreely() {
        build(AffinityMode.SESSION);
        Set<String> used = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            used.add(pick(route, SelectionContext.NONE));
        }
        assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(health.snapshot().affinityEntries()).isZero();
    }

    @Test
    void idleBindingsExpireAfterTheTtl() {
        build(AffinityMode.SESSION);
        String first = pick(route, session("s1"));
        clock.advance(Fixtures.AFFINITY_TTL.minusMinutes(1));
        assertThat(pick(route, session("s1"))).as("access refreshes the idle timer").isEqualTo(first);
        clock.advance(Fixtures.AFFINITY_TTL.minusMinutes(1));
        assertThat(health.affinity().bound(AffinityTable.key("*", "s1"))).isEqualTo(first);
        clock.advance(Fixtures.AFFINITY_TTL);
        assertThat(health.affinity().bound(AffinityTable.key("*", "s1"))).isNull();
        assertThat(health.snapshot().affinityEntries()).isZero();
        assertThat(health.upstream(first).stats().affinityBindings()).isZero();
    }

    @Test
    void theTableIsBounded() {
        build(new BalancingSettings(Strategy.LEAST_REQUESTS, AffinityMode.SESSION, Fixtures.AFFINITY_TTL, 5));
        for (int i = 0; i < 50; i++) {
            pick(route, session("s" + i));
        }
        long entries = health.snapshot().affinityEntries();
        assertThat(entries).isEqualTo(5);
        long gauges = health.snapshot().upstreams().stream().mapToLong(u -> u.affinityBindings()).sum();
        assertThat(gauges).isEqualTo(entries);
    }
}
