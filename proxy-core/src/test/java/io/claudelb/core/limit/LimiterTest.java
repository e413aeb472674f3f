package io.claudelb.core.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.health.FakeNanoClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LimiterTest {
    private static final long USD = BudgetLimits.NANOS_PER_USD;
    /** Wednesday 2026-12-02 10:00 UTC. */
    private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

    private final FakeNanoClock clock = new FakeNanoClock();
    private final AtomicLong wall = new AtomicLong(START.toEpochMilli());

    private Limiter limiter(LimitsSettings settings) {
        return new Limiter(settings, clock, wall::get);
    }

    private void advance(Duration d) {
        clock.advance(d);
        wall.addAndGet(d.toMillis());
    }

    private static LimitsSettings forAlice(ClientLimits alice) {
        return new LimitsSettings(ClientLimits.NONE, 0, Map.of("alice", alice), ZoneOffset.UTC);
    }

    private static ClientLimits rpm(long n) {
        return new ClientLimits(n, 0, 0, BudgetLimits.NONE);
    }

    @Test
    void requestsPerMinuteRefillContinuously() {
        Limiter limiter = limiter(forAlice(rpm(60)));
        for (int i = 0; i < 60; i++) {
            assertThat(limiter.admit("alice", "s1").admitted()).isTrue();
        }
        Admission refused = limiter.admit("alice", "s1");
        assertThat(refused.admitted()).isFalse();
        Refusal r = refused.refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.REQUESTS_PER_MINUTE);
        assertThat(r.shouldRetry()).isTrue();
        assertThat(r.retryAfterMillis()).isEqualTo(1000); // one request per second comes back
        assertThat(r.requests().limit()).isEqualTo(60);
        assertThat(r.requests().remaining()).isZero();
        assertThat(r.requests().resetMillis()).isEqualTo(START.plusSeconds(60).toEpochMilli());
        assertThat(r.tokens()).isNull();
        assertThat(r.message()).contains("alice").contains("60 requests per minute").contains("retry in 1 s");
        advance(Duration.ofSeconds(1));
        assertThat(limiter.admit("alice", "s1").admitted()).isTrue();
        assertThat(limiter.admit("alice", "s1").admitted()).isFalse();
        // Other clients have no limits here.
        assertThat(limiter.admit("bob", null).admitted()).isTrue();
    }

    @Test
    void tokensAreChargedAtTheEndAndAdmitWhileTheBucketIsPositive() {
        Limiter limiter = limiter(forAlice(new ClientLimits(0, 1000, 0, BudgetLimits.NONE)));
        Ticket first = limiter.admit("alice", null).ticket();
        Ticket second = limiter.admit("alice", null).ticket(); // nothing charged yet: both start
        first.finish(999, 0);
        assertThat(limiter.admit("alice", null).admitted()).isTrue(); // 1 token left: still positive
        second.finish(3001, 0); // the bucket goes 3000 into debt
        Refusal r = limiter.admit("alice", null).refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.TOKENS_PER_MINUTE);
        assertThat(r.tokens().limit()).isEqualTo(1000);
        assertThat(r.tokens().remaining()).isZero();
        // 3000 in debt at 1000 per minute: positive again after 3 minutes and a bit.
        assertThat(r.retryAfterMillis()).isBetween(180_000L, 180_100L);
        advance(Duration.ofMinutes(3));
        assertThat(limiter.admit("alice", null).admitted()).isFalse();
        advance(Duration.ofMillis(100));
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
    }

    @Test
    void concurrencyIsHeldUntilTheTicketFinishesOnce() {
        Limiter limiter = limiter(forAlice(new ClientLimits(0, 0, 2, BudgetLimits.NONE)));
        Ticket a = limiter.admit("alice", null).ticket();
        Ticket b = limiter.admit("alice", null).ticket();
        Refusal r = limiter.admit("alice", null).refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.CONCURRENT);
        assertThat(r.message()).contains("2 requests in flight");
        assertThat(limiter.status("alice").inFlight()).isEqualTo(2);
        a.finish(10, 0);
        a.finish(10, 0); // a second finish must not free a slot it does not hold
        assertThat(limiter.status("alice").inFlight()).isEqualTo(1);
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
        assertThat(limiter.admit("alice", null).admitted()).isFalse();
        b.finish(0, 0);
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
    }

    @Test
    void aLoopingSessionIsStoppedWithoutBlockingTheClientsOtherSessions() {
        LimitsSettings settings = new LimitsSettings(ClientLimits.NONE, 5, Map.of("alice", rpm(8)),
                ZoneOffset.UTC);
        Limiter limiter = limiter(settings);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.admit("alice", "loop").admitted()).isTrue();
        }
        for (int i = 0; i < 100; i++) {
            Refusal r = limiter.admit("alice", "loop").refusal();
            assertThat(r.kind()).isEqualTo(LimitKind.SESSION_REQUESTS_PER_MINUTE);
            assertThat(r.requests().limit()).isEqualTo(5);
            assertThat(r.message()).contains("'loop'").contains("client 'alice'").contains("other sessions");
        }
        // The refused loop used none of the client's requests: its other session still gets the remaining 3.
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.admit("alice", "work").admitted()).isTrue();
        }
        Refusal r = limiter.admit("alice", "work").refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.REQUESTS_PER_MINUTE);
        // The session fallback (session = client name) is not a session of its own.
        assertThat(limiter.admit("bob", "bob").admitted()).isTrue();
    }

    @Test
    void aClientRefusalGivesTheSessionItsRequestBack() {
        Limiter limiter = limiter(new LimitsSettings(ClientLimits.NONE, 2, Map.of("alice", rpm(1)),
                ZoneOffset.UTC));
        assertThat(limiter.admit("alice", "s").admitted()).isTrue();
        assertThat(limiter.admit("alice", "s").refusal().kind()).isEqualTo(LimitKind.REQUESTS_PER_MINUTE);
        advance(Duration.ofSeconds(60));
        // The session spent 1 of 2 (the refusal was refunded): two more pass its bucket, the client's allows one.
        assertThat(limiter.admit("alice", "s").admitted()).isTrue();
    }

    @Test
    void budgetsRefuseOnceSpentAndRenewAtTheNextPeriod() {
        Limiter limiter = limiter(forAlice(new ClientLimits(0, 0, 0, new BudgetLimits(10 * USD, 0, 0))));
        limiter.admit("alice", null).ticket().finish(100, 9 * USD);
        Ticket last = limiter.admit("alice", null).ticket(); // $9 of $10: admitted
        last.finish(100, 2 * USD);                            // ends at $11
        Refusal r = limiter.admit("alice", null).refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.DAILY_BUDGET);
        assertThat(r.shouldRetry()).isFalse();
        assertThat(r.message()).contains("daily budget of $10").contains("renews in 14 h");
        assertThat(r.retryAfterMillis()).isEqualTo(Duration.ofHours(14).toMillis());
        ClientStatus status = limiter.status("alice");
        assertThat(status.budgets().get(BudgetPeriod.DAY).spentNanos()).isEqualTo(11 * USD);
        assertThat(status.budgets().get(BudgetPeriod.DAY).remainingNanos()).isZero();
        assertThat(status.budgets().get(BudgetPeriod.MONTH).spentNanos()).isEqualTo(11 * USD);
        advance(Duration.ofHours(14));
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
        assertThat(limiter.status("alice").budgets().get(BudgetPeriod.DAY).spentNanos()).isZero();
        assertThat(limiter.status("alice").budgets().get(BudgetPeriod.MONTH).spentNanos()).isEqualTo(11 * USD);
    }

    @Test
    void weeksStartOnMondayAndMonthsOnTheFirstInTheConfiguredZone() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        Instant wed = Instant.parse("2026-12-02T10:00:00Z");
        assertThat(BudgetPeriod.DAY.start(wed, berlin)).isEqualTo(Instant.parse("2026-12-01T23:00:00Z"));
        assertThat(BudgetPeriod.WEEK.start(wed, berlin)).isEqualTo(Instant.parse("2026-11-29T23:00:00Z"));
        assertThat(BudgetPeriod.MONTH.start(wed, berlin)).isEqualTo(Instant.parse("2026-11-30T23:00:00Z"));
        assertThat(BudgetPeriod.MONTH.next(wed, berlin)).isEqualTo(Instant.parse("2026-12-31T23:00:00Z"));
        // 23:30 UTC on the 2nd is already the 3rd in Berlin.
        Instant late = Instant.parse("2026-12-02T23:30:00Z");
        assertThat(BudgetPeriod.DAY.start(late, berlin)).isEqualTo(Instant.parse("2026-12-02T23:00:00Z"));
        assertThat(BudgetPeriod.DAY.start(late, ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
    }

    @Test
    void aReloadReshapesBucketsAndKeepsWhatWasUsed() {
        Limiter limiter = limiter(forAlice(rpm(10)));
        for (int i = 0; i < 4; i++) {
            limiter.admit("alice", null).ticket().finish(0, USD);
        }
        limiter.reconfigure(forAlice(rpm(20)));
        assertThat(limiter.status("alice").requests().remaining()).isEqualTo(16); // 4 used of 20
        limiter.reconfigure(forAlice(rpm(5)));
        assertThat(limiter.status("alice").requests().remaining()).isEqualTo(1);  // 4 used of 5
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
        assertThat(limiter.admit("alice", null).admitted()).isFalse();
        // A budget added by a reload counts what was spent before it: $4 of $3.
        limiter.reconfigure(forAlice(new ClientLimits(5, 0, 0, new BudgetLimits(3 * USD, 0, 0))));
        assertThat(limiter.admit("alice", null).refusal().kind()).isEqualTo(LimitKind.DAILY_BUDGET);
        limiter.reconfigure(LimitsSettings.NONE);
        assertThat(limiter.admit("alice", null).admitted()).isTrue();
        assertThat(limiter.status("alice").requests()).isNull();
    }

    @Test
    void spendRestoredAtStartCountsAgainstTheBudget() {
        Limiter limiter = limiter(forAlice(new ClientLimits(0, 0, 0, new BudgetLimits(0, 0, 500 * USD))));
        limiter.restoreSpend("alice", BudgetPeriod.MONTH, 499 * USD);
        limiter.restoreSpend("alice", BudgetPeriod.DAY, 20 * USD);
        limiter.admit("alice", null).ticket().finish(0, USD);
        Refusal r = limiter.admit("alice", null).refusal();
        assertThat(r.kind()).isEqualTo(LimitKind.MONTHLY_BUDGET);
        assertThat(limiter.status("alice").budgets().get(BudgetPeriod.DAY).spentNanos()).isEqualTo(21 * USD);
    }

    @Test
    void theDefaultHoldsTheAnonymousCallerAndClientsWithoutTheirOwn() {
        LimitsSettings settings = new LimitsSettings(rpm(1), 0, Map.of("vip", rpm(3)), ZoneOffset.UTC);
        Limiter limiter = limiter(settings);
        assertThat(limiter.admit(null, "s").admitted()).isTrue();
        Refusal r = limiter.admit(null, "s").refusal();
        assertThat(r.message()).startsWith("This gateway's caller");
        assertThat(limiter.admit("carol", null).admitted()).isTrue();
        assertThat(limiter.admit("carol", null).admitted()).isFalse();
        List<Boolean> vip = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            vip.add(limiter.admit("vip", null).admitted());
        }
        assertThat(vip).containsExactly(true, true, true, false);
    }
}
