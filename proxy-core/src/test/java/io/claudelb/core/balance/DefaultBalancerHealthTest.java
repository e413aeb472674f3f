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
import io.claudelb.core.health.BreakerState;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.FakeNanoClock;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.core.stats.UpstreamSnapshot;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What outcomes do to an upstream: breaker, cooldown, recovery time, counters, reset, reload. */
class DefaultBalancerHealthTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final AtomicLong wallClock = new AtomicLong(1_700_000_000_000L);
    private final UpstreamConfig a = upstream("a", 1, 1);
    private final UpstreamConfig b = upstream("b", 2, 2);
    private final GatewayConfig config = config(Fixtures.balancing(AffinityMode.NONE), Fixtures.health(3, 1), a, b);
    private final BalancerState health = new BalancerState(config, clock, wallClock::get);
    private final DefaultBalancer balancer = new DefaultBalancer(config, health, clock, Randoms.seeded(7));
    private final RouteDecision route = decision("*", Strategy.PRIORITY, a, b);
    private final Target ta = target(a);
    private final Target tb = target(b);

    private String pick() {
        Target t = balancer.select(route, SelectionContext.NONE, Set.of());
        return t == null ? null : t.name();
    }

    private void fail(Target t, FailureKind kind, int times) {
        for (int i = 0; i < times; i++) {
            balancer.onFailure(t, kind, 0);
        }
    }

    @Test
    void onlyKindsThatCountAgainstTheUpstreamOpenTheBreaker() {
        fail(ta, FailureKind.POOL_EXHAUSTED, 10);
        assertThat(health.upstream("a").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        assertThat(health.upstream("a").stats().errors(FailureKind.POOL_EXHAUSTED)).isEqualTo(10);
        assertThat(pick()).isEqualTo("a");

        fail(ta, FailureKind.HTTP_503, 3);
        assertThat(health.upstream("a").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(pick()).isEqualTo("b");
    }

    @Test
    void aSuccessBetweenFailuresKeepsTheBreakerClosed() {
        fail(ta, FailureKind.READ_TIMEOUT, 2);
        balancer.onSuccess(ta, 1_000_000);
        fail(ta, FailureKind.READ_TIMEOUT, 2);
        assertThat(pick()).isEqualTo("a");
    }

    @Test
    void retryAfterOn429CoolsTheUpstreamDownCappedAndASuccessClearsIt() {
        balancer.onFailure(ta, FailureKind.HTTP_429, Duration.ofMinutes(10).toNanos());
        UpstreamHealth h = health.upstream("a");
        assertThat(h.cooldown().remainingNanos(clock.nanoTime())).isEqualTo(Fixtures.RETRY_AFTER_CAP.toNanos());
        assertThat(pick()).isEqualTo("b");
        clock.advance(Duration.ofSeconds(30));
        assertThat(pick()).isEqualTo("b");

        balancer.onSuccess(ta, 1_000_000);
        assertThat(h.cooldown().active(clock.nanoTime())).isFalse();
        assertThat(pick()).isEqualTo("a");
    }

    @Test
    void retryAfterOn529CoolsForAsLongAsAsked() {
        balancer.onFailure(ta, FailureKind.HTTP_529, Duration.ofSeconds(5).toNanos());
        assertThat(pick()).isEqualTo("b");
        clock.advance(Duration.ofSeconds(5));
        assertThat(pick()).isEqualTo("a");
    }

    @Test
    void retryAfterOnOtherKindsImposesNoCooldown() {
        balancer.onFailure(ta, FailureKind.HTTP_503, Duration.ofSeconds(5).toNanos());
        assertThat(health.upstream("a").cooldown().active(clock.nanoTime())).isFalse();
        assertThat(pick()).isEqualTo("a");
    }

    @Test
    void nanosUntilRecoveryIsTheSoonestOfBreakerAndCooldown() {
        assertThat(balancer.nanosUntilRecovery(route)).isZero();
        fail(ta, FailureKind.CONNECT_REFUSED, 3);
        balancer.onFailure(tb, FailureKind.HTTP_529, Duration.ofSeconds(90).toNanos());
        assertThat(pick()).isNull();
        assertThat(balancer.nanosUntilRecovery(route)).as("breaker 60 s, cooldown 90 s capped at 60 s")
                .isEqualTo(Duration.ofSeconds(60).toNanos());
        clock.advance(Duration.ofSeconds(20));
        balancer.onFailure(tb, FailureKind.HTTP_529, Duration.ofSeconds(15).toNanos());
        assertThat(balancer.nanosUntilRecovery(route)).as("b's cooldown stays at its later deadline")
                .isEqualTo(Duration.ofSeconds(40).toNanos());
        balancer.onSuccess(tb, 1);
        assertThat(balancer.nanosUntilRecovery(route)).isZero();
    }

    @Test
    void nanosUntilRecoveryCountsACooldownLongerThanTheBreaker() {
        fail(ta, FailureKind.CONNECT_REFUSED, 3);
        balancer.onFailure(ta, FailureKind.HTTP_429, Duration.ofSeconds(5).toNanos());
        clock.advance(Duration.ofSeconds(59));
        fail(tb, FailureKind.CONNECT_REFUSED, 3);
        assertThat(balancer.nanosUntilRecovery(route)).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void halfOpenProbeThroughTheBalancerClosesOnSuccessAndReopensOnFailure() {
        fail(ta, FailureKind.HTTP_500, 3);
        clock.advance(Fixtures.OPEN_FOR);
        assertThat(pick()).as("probe").isEqualTo("a");
        assertThat(pick()).as("one probe only").isEqualTo("b");
        balancer.onFailure(ta, FailureKind.HTTP_500, 0);
        assertThat(health.upstream("a").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(balancer.nanosUntilRecovery(decision("*", Strategy.PRIORITY, a)))
                .isEqualTo(Fixtures.OPEN_FOR.toNanos());

        clock.advance(Fixtures.OPEN_FOR);
        assertThat(pick()).isEqualTo("a");
        balancer.onSuccess(ta, 1);
        assertThat(health.upstream("a").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        assertThat(pick()).isEqualTo("a");
        assertThat(pick()).isEqualTo("a");
    }

    @Test
    void resetClosesBreakersAndClearsCooldowns() {
        fail(ta, FailureKind.CONNECT_REFUSED, 3);
        balancer.onFailure(tb, FailureKind.HTTP_429, Duration.ofSeconds(30).toNanos());
        assertThat(pick()).isNull();

        assertThat(balancer.reset("b")).isTrue();
        assertThat(pick()).isEqualTo("b");
        assertThat(balancer.reset("nope")).isFalse();

        balancer.resetAll();
        assertThat(pick()).isEqualTo("a");
        assertThat(health.upstream("a").breaker().consecutiveFailures()).isZero();
        assertThat(health.upstream("a").stats().totalErrors()).as("counters survive a reset").isEqualTo(3);
    }

    @Test
    void snapshotTellsTheStory() {
        balancer.onStart(ta);
        balancer.onSuccess(ta, Duration.ofMillis(120).toNanos());
        balancer.onEnd(ta, 4_096);
        balancer.onStart(ta);
        balancer.onStart(tb);
        wallClock.set(1_700_000_123_000L);
        balancer.onFailure(tb, FailureKind.HTTP_529, Duration.ofSeconds(10).toNanos());
        balancer.onEnd(tb, 0);
        fail(tb, FailureKind.CONNECT_REFUSED, 2);
        clock.advance(Duration.ofSeconds(4));

        UpstreamSnapshot sa = health.snapshot().upstream("a");
        assertThat(sa.kind()).isEqualTo(a.kind());
        assertThat(sa.weight()).isEqualTo(1);
        assertThat(sa.inFlight()).isEqualTo(1);
        assertThat(sa.totalRequests()).isEqualTo(2);
        assertThat(sa.successes()).isEqualTo(1);
        assertThat(sa.totalErrors()).isZero();
        assertThat(sa.breakerState()).isEqualTo(BreakerState.CLOSED);
        assertThat(sa.circuitOpen()).isFalse();
        assertThat(sa.bytesToClients()).isEqualTo(4_096);
        assertThat(sa.lastFailureEpochMillis()).isZero();

        UpstreamSnapshot sb = health.snapshot().upstream("b");
        assertThat(sb.weight()).isEqualTo(2);
        assertThat(sb.inFlight()).isZero();
        assertThat(sb.errorsByKind()).containsExactly(Map.entry(FailureKind.CONNECT_REFUSED, 2L),
                Map.entry(FailureKind.HTTP_529, 1L));
        assertThat(sb.totalErrors()).isEqualTo(3);
        assertThat(sb.breakerState()).isEqualTo(BreakerState.OPEN);
        assertThat(sb.circuitOpen()).isTrue();
        assertThat(sb.consecutiveFailures()).isEqualTo(3);
        assertThat(sb.nanosUntilHalfOpen()).isEqualTo(Duration.ofSeconds(56).toNanos());
        assertThat(sb.cooldownRemainingNanos()).isEqualTo(Duration.ofSeconds(6).toNanos());
        assertThat(sb.lastFailureEpochMillis()).isEqualTo(1_700_000_123_000L);

        assertThat(health.snapshot().upstreams()).extracting(UpstreamSnapshot::name).containsExactly("a", "b");
    }

    @Test
    void reconcileKeepsStateByNameUpdatesThresholdsAndDropsRemovedNames() {
        UpstreamConfig c = upstream("c");
        fail(ta, FailureKind.CONNECT_REFUSED, 3);
        fail(tb, FailureKind.CONNECT_REFUSED, 1);
        balancer.onStart(tb);

        UpstreamConfig b2 = upstream("b", 5, 0);
        GatewayConfig next = config(Fixtures.balancing(AffinityMode.NONE), Fixtures.health(2, 1), c, b2);
        health.reconcile(next);
        DefaultBalancer reloaded = new DefaultBalancer(next, health, clock, Randoms.seeded(7));

        assertThat(health.names()).containsExactly("c", "b");
        assertThat(health.upstream("a")).isNull();
        assertThat(reloaded.reset("a")).isFalse();
        assertThat(health.upstream("b").stats().inFlight()).as("b kept its counters").isEqualTo(1);
        assertThat(health.snapshot().upstream("b").weight()).isEqualTo(5);

        reloaded.onFailure(target(b2), FailureKind.CONNECT_REFUSED, 0);
        assertThat(health.upstream("b").breaker().state(clock.nanoTime()))
                .as("the new threshold 2 counts the failure kept from before").isEqualTo(BreakerState.OPEN);
        assertThat(health.upstream("c").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);

        // An exchange that began on the old snapshot ends on a removed upstream: ignored, no error.
        balancer.onEnd(ta, 10);
        balancer.onEnd(tb, 10);
        assertThat(health.upstream("b").stats().inFlight()).isZero();
        assertThat(balancer.select(route, SelectionContext.NONE, Set.of())).as("a is gone, b is open").isNull();
    }

    @Test
    void reconcileKeepsAnOpenBreakerOpen() {
        fail(ta, FailureKind.CONNECT_REFUSED, 3);
        health.reconcile(config(Fixtures.balancing(AffinityMode.NONE), Fixtures.health(3, 1), a, b));
        assertThat(health.upstream("a").breaker().state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(pick()).isEqualTo("b");
    }

    @Test
    void reconcileKeepsSessionBindingsOfUpstreamsThatStay() {
        GatewayConfig sessions = config(Fixtures.balancing(AffinityMode.SESSION), Fixtures.health(3, 1), a, b);
        health.reconcile(sessions);
        DefaultBalancer first = new DefaultBalancer(sessions, health, clock, Randoms.seeded(7));
        RouteDecision rr = decision("*", Strategy.ROUND_ROBIN, a, b);
        SelectionContext s1 = new SelectionContext("s1", null);
        String bound = first.select(rr, s1, Set.of()).name();

        health.reconcile(sessions);
        DefaultBalancer second = new DefaultBalancer(sessions, health, clock, Randoms.seeded(7));
        for (int i = 0; i < 4; i++) {
            assertThat(second.select(rr, s1, Set.of()).name()).isEqualTo(bound);
        }

        health.reconcile(config(Fixtures.balancing(AffinityMode.SESSION), Fixtures.health(3, 1),
                "a".equals(bound) ? b : a));
        assertThat(health.affinity().bound(AffinityTable.key("*", "s1"))).as("binding to a removed upstream")
                .isNull();
    }
}
