package io.claudelb.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CooldownTest {
    private final FakeNanoClock clock = new FakeNanoClock();
    private final Cooldown cooldown = new Cooldown();

    @Test
    void lastsAsLongAsImposed() {
        assertThat(cooldown.active(clock.nanoTime())).isFalse();
        cooldown.impose(Duration.ofSeconds(10).toNanos(), clock.nanoTime());
        assertThat(cooldown.remainingNanos(clock.nanoTime())).isEqualTo(Duration.ofSeconds(10).toNanos());
        clock.advance(Duration.ofSeconds(9));
        assertThat(cooldown.active(clock.nanoTime())).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cooldown.active(clock.nanoTime())).isFalse();
        assertThat(cooldown.remainingNanos(clock.nanoTime())).isZero();
    }

    @Test
    void theLaterDeadlineWins() {
        cooldown.impose(Duration.ofSeconds(30).toNanos(), clock.nanoTime());
        cooldown.impose(Duration.ofSeconds(5).toNanos(), clock.nanoTime());
        assertThat(cooldown.remainingNanos(clock.nanoTime())).isEqualTo(Duration.ofSeconds(30).toNanos());
        cooldown.impose(Duration.ofSeconds(40).toNanos(), clock.nanoTime());
        assertThat(cooldown.remainingNanos(clock.nanoTime())).isEqualTo(Duration.ofSeconds(40).toNanos());
    }

    @Test
    void clearEndsIt() {
        cooldown.impose(Duration.ofSeconds(30).toNanos(), clock.nanoTime());
        cooldown.clear();
        assertThat(cooldown.active(clock.nanoTime())).isFalse();
    }

    @Test
    void zeroOrNegativeImposesNothing() {
        cooldown.impose(0, clock.nanoTime());
        cooldown.impose(-5, clock.nanoTime());
        assertThat(cooldown.active(clock.nanoTime())).isFalse();
    }
}
