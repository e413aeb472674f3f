package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExchangeTimerTest {
    private final EmbeddedChannel ch = new EmbeddedChannel();
    private final AtomicInteger runs = new AtomicInteger();
    private final ExchangeTimer timer = new ExchangeTimer(ch.eventLoop(), runs::incrementAndGet);

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aLaterDeadlineIsReachedByTheScheduledTaskWaitingTheRest() {
        timer.arm(TimeUnit.SECONDS.toNanos(10));
        timer.arm(TimeUnit.SECONDS.toNanos(300));
        advance(10);
        assertThat(runs).hasValue(0);
        advance(289);
        assertThat(runs).hasValue(0);
        advance(1);
        assertThat(runs).hasValue(1);
        advance(600);
        assertThat(runs).as("once per arming").hasValue(1);
    }

    @Test
    void anEarlierDeadlineReplacesTheScheduledTask() {
        timer.arm(TimeUnit.SECONDS.toNanos(300));
        timer.arm(TimeUnit.SECONDS.toNanos(2));
        advance(2);
        assertThat(runs).hasValue(1);
    }

    @Test
    void disarmedOrRemovedNothingRuns() {
        timer.arm(TimeUnit.SECONDS.toNanos(5));
        timer.disarm();
        advance(10);
        assertThat(runs).hasValue(0);
        timer.arm(TimeUnit.SECONDS.toNanos(5));
        timer.remove();
        assertThat(ch.runScheduledPendingTasks()).as("no task left").isEqualTo(-1);
        advance(10);
        assertThat(runs).hasValue(0);
    }
}
