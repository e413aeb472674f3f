package io.claudelb.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.HealthSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {
    private static final Duration OPEN_FOR = Duration.ofSeconds(60);

    private final FakeNanoClock clock = new FakeNanoClock();

    private static CircuitBreaker breaker(int threshold, int probes) {
        return new CircuitBreaker(new HealthSettings(threshold, OPEN_FOR, probes, Duration.ofSeconds(60),
                Set.of(), List.of()));
    }

    private void fail(CircuitBreaker b, int times) {
        for (int i = 0; i < times; i++) {
            b.onFailure(clock.nanoTime());
        }
    }

    @Test
    void opensAfterThresholdConsecutiveFailures() {
        CircuitBreaker b = breaker(3, 1);
        fail(b, 2);
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        assertThat(b.consecutiveFailures()).isEqualTo(2);
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();

        assertThat(b.onFailure(clock.nanoTime())).as("third failure opens").isTrue();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(b.admits(clock.nanoTime())).isFalse();
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isEqualTo(OPEN_FOR.toNanos());
    }

    @Test
    void successResetsTheCountSoFailuresMustBeConsecutive() {
        CircuitBreaker b = breaker(3, 1);
        fail(b, 2);
        assertThat(b.onSuccess(clock.nanoTime())).as("closing an already closed breaker").isFalse();
        assertThat(b.consecutiveFailures()).isZero();
        fail(b, 2);
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        fail(b, 1);
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void closedToOpenToHalfOpenToClosed() {
        CircuitBreaker b = breaker(2, 1);
        fail(b, 2);
        clock.advance(OPEN_FOR.minusNanos(1));
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isEqualTo(1);
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();

        clock.advance(Duration.ofNanos(1));
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.HALF_OPEN);
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isZero();
        assertThat(b.tryAcquire(clock.nanoTime())).as("the one probe").isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).as("no second probe").isFalse();
        assertThat(b.admits(clock.nanoTime())).isFalse();

        assertThat(b.onSuccess(clock.nanoTime())).as("probe success closes").isTrue();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        assertThat(b.consecutiveFailures()).isZero();
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
    }

    @Test
    void probeFailureReopensForAnotherOpenFor() {
        CircuitBreaker b = breaker(2, 1);
        fail(b, 2);
        clock.advance(OPEN_FOR);
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(b.onFailure(clock.nanoTime())).as("probe failure re-opens").isTrue();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isEqualTo(OPEN_FOR.toNanos());
        clock.advance(OPEN_FOR.minusSeconds(1));
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
    }

    @Test
    void halfOpenAdmitsAtMostTheConfiguredProbes() {
        CircuitBreaker b = breaker(1, 3);
        fail(b, 1);
        clock.advance(OPEN_FOR);
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void aProbeWithoutVerdictFreesItsSlotAfterOpenFor() {
        CircuitBreaker b = breaker(1, 1);
        fail(b, 1);
        clock.advance(OPEN_FOR);
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
        clock.advance(Duration.ofSeconds(30));
        assertThat(b.nanosUntilAdmits(clock.nanoTime())).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(b.tryAcquire(clock.nanoTime())).as("lease expired: a new probe").isTrue();
        assertThat(b.tryAcquire(clock.nanoTime())).isFalse();
    }

    @Test
    void successWhileStillOpenDoesNotClose() {
        CircuitBreaker b = breaker(1, 1);
        fail(b, 1);
        assertThat(b.onSuccess(clock.nanoTime())).isFalse();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
    }

    @Test
    void successAfterOpenForClosesEvenWithoutAProbeSlotTaken() {
        CircuitBreaker b = breaker(1, 1);
        fail(b, 1);
        clock.advance(OPEN_FOR);
        assertThat(b.onSuccess(clock.nanoTime())).isTrue();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
    }

    @Test
    void failureWhileOpenCountsButDoesNotExtendTheWindow() {
        CircuitBreaker b = breaker(1, 1);
        fail(b, 1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(b.onFailure(clock.nanoTime())).isFalse();
        assertThat(b.consecutiveFailures()).isEqualTo(2);
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isEqualTo(Duration.ofSeconds(50).toNanos());
    }

    @Test
    void resetCloses() {
        CircuitBreaker b = breaker(1, 1);
        fail(b, 1);
        b.reset();
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.CLOSED);
        assertThat(b.consecutiveFailures()).isZero();
        assertThat(b.tryAcquire(clock.nanoTime())).isTrue();
    }

    @Test
    void reconfigureKeepsStateAndAppliesTheNewOpenFor() {
        CircuitBreaker b = breaker(5, 1);
        fail(b, 2);
        b.reconfigure(new HealthSettings(3, Duration.ofSeconds(10), 1, Duration.ofSeconds(60), Set.of(), List.of()));
        assertThat(b.consecutiveFailures()).isEqualTo(2);
        fail(b, 1);
        assertThat(b.state(clock.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(b.nanosUntilHalfOpen(clock.nanoTime())).isEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void worksAcrossNanoTimeWrapAround() {
        FakeNanoClock wrapping = new FakeNanoClock(Long.MAX_VALUE - Duration.ofSeconds(1).toNanos());
        CircuitBreaker b = breaker(1, 1);
        b.onFailure(wrapping.nanoTime());
        wrapping.advance(Duration.ofSeconds(30));
        assertThat(wrapping.nanoTime()).isNegative();
        assertThat(b.state(wrapping.nanoTime())).isEqualTo(BreakerState.OPEN);
        assertThat(b.nanosUntilHalfOpen(wrapping.nanoTime())).isEqualTo(Duration.ofSeconds(30).toNanos());
        wrapping.advance(Duration.ofSeconds(30));
        assertThat(b.tryAcquire(wrapping.nanoTime())).isTrue();
    }
}
