package io.claudelb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.observe.AttemptRecord;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.support.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** /stats percentiles follow the last five minutes: old samples leave the window as the (fake) clock moves on. */
class WindowedLatenciesTest {
    private final FakeClock clock = new FakeClock();
    private final WindowedLatencies latencies = new WindowedLatencies(clock, () -> clock.nanoTime() / 1_000_000);

    private static ExchangeEvent answered(String upstream, long ttfbMillis, int status, CoalescingRole role,
                                          boolean local) {
        return new ExchangeEvent("lbreq_1", 0, "POST", "/v1/messages", null, null, "m", true, false,
                List.of(new AttemptRecord(upstream, "m", null)), status, Outcome.COMPLETED, local, null,
                ttfbMillis * 1_000_000, ttfbMillis * 2_000_000, 0, 10, null, role);
    }

    @Test
    void percentilesOfTheLastFiveMinutes() {
        for (int i = 1; i <= 100; i++) {
            latencies.exchangeEnded(answered("a", 1_000, 200, CoalescingRole.OFF, false));
        }
        WindowedLatencies.Percentiles early = latencies.timeToFirstByte("a");
        assertThat(early.p50Millis()).isBetween(990.0, 1_010.0);
        assertThat(early.p99Millis()).isBetween(990.0, 1_010.0);

        // Four minutes on, faster answers join the slow ones: both are in the window.
        clock.advance(Duration.ofMinutes(4));
        for (int i = 1; i <= 100; i++) {
            latencies.exchangeEnded(answered("a", 100, 200, CoalescingRole.OFF, false));
        }
        assertThat(latencies.timeToFirstByte("a").p99Millis()).isBetween(990.0, 1_010.0);

        // Past five minutes since the slow ones, only the fast ones are left.
        clock.advance(Duration.ofMinutes(2));
        WindowedLatencies.Percentiles later = latencies.timeToFirstByte("a");
        assertThat(later.p50Millis()).isBetween(99.0, 101.0);
        assertThat(later.p99Millis()).isBetween(99.0, 101.0);

        // And with nothing at all for a window, zeros (as /stats showed before any request).
        clock.advance(Duration.ofMinutes(6));
        assertThat(latencies.timeToFirstByte("a")).isEqualTo(WindowedLatencies.Percentiles.NONE);
    }

    @Test
    void onlyAnswersTheUpstreamGaveCount() {
        latencies.exchangeEnded(answered("a", 50, 529, CoalescingRole.OFF, false));
        latencies.exchangeEnded(answered("a", 50, 200, CoalescingRole.FOLLOWER, false));
        latencies.exchangeEnded(answered("a", 50, 200, CoalescingRole.OFF, true));
        assertThat(latencies.timeToFirstByte("a")).isEqualTo(WindowedLatencies.Percentiles.NONE);
        assertThat(latencies.timeToFirstByte("never-seen")).isEqualTo(WindowedLatencies.Percentiles.NONE);

        latencies.exchangeEnded(answered("a", 50, 200, CoalescingRole.LEADER, false));
        assertThat(latencies.timeToFirstByte("a").p50Millis()).isBetween(49.0, 51.0);
    }
}
