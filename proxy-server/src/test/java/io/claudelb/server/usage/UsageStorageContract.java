package io.claudelb.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import io.claudelb.server.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Usage records end to end against a real database, run once per supported database ({@link SqliteUsageStorageTest},
 * {@link PostgresUsageStorageTest}): requests through the proxy become rows with the exact tokens the mock reported
 * and the cost the price table gives, coalesced followers cost nothing, reports group and rate them, retention keeps
 * hourly totals, and budgets survive a restart.
 */
abstract class UsageStorageContract {
    private static final long USD = BudgetLimits.NANOS_PER_USD;
    /** 1200*5 + 345*25 + 48000*0.5 + 1500*6.25 + 800*10 micro-dollars (Opus 4.7 list prices). */
    private static final long OPUS_TURN_NANOS = 56_000_000L;
    private static final String OPUS_TURN = "x-mock-usage: input=1200,output=345,cache_read=48000,cache_write_5m=1500,"
            + "cache_write_1h=800";

    @TempDir
    Path dir;
    TestDatabase db;
    private final List<MockUpstream> mocks = new ArrayList<>();
    private final List<ProxyServer> proxies = new ArrayList<>();

    abstract TestDatabase.Kind kind();

    @BeforeEach
    void freshDatabase() {
        db = TestDatabase.fresh(kind(), dir);
    }

    @AfterEach
    void stopAll() {
        proxies.forEach(p -> p.stop(Duration.ofSeconds(5)));
        mocks.forEach(MockUpstream::close);
    }

    private MockUpstream mock(String name) {
        MockUpstream m = MockUpstream.start(MockOptions.builder().name(name).ioThreads(1).build());
        mocks.add(m);
        return m;
    }

    private ProxyServer proxy(TestConfigs config) throws InterruptedException {
        ProxyServer p = ProxyServer.start(config.storage(db.settings()).build(), NanoClock.SYSTEM, "test");
        proxies.add(p);
        return p;
    }

    private static Response post(ProxyServer proxy, String path, String body, String... headers) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post(path, body, headers));
    }

    private void awaitRows(long n) {
        Await.until(n + " usage rows", () -> db.count("SELECT COUNT(*) FROM usage_records") == n,
                Duration.ofSeconds(20));
    }

    private Map<String, Object> row(String requestId) throws SQLException {
        try (Connection c = db.connect();
             PreparedStatement ps = c.prepareStatement("SELECT * FROM usage_records WHERE request_id = ?")) {
            ps.setString(1, requestId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row " + requestId).isTrue();
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    row.put(rs.getMetaData().getColumnName(i).toLowerCase(), v instanceof Number n ? n.longValue() : v);
                }
                return row;
            }
        }
    }

    @Test
    void streamJsonFailedAndCountTokensRequestsBecomeRowsWithTheTokensTheMockSent() throws Exception {
        MockUpstream up = mock("up");
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("up", up.baseUrl()).client("alice", "k-alice"));

        Response stream = post(proxy, "/v1/messages", Requests.messages("claude-opus-4-7", true), "x-api-key: k-alice",
                "x-claude-code-session-id: sess-1", OPUS_TURN);
        Response json = post(proxy, "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "x-api-key: k-alice", "x-mock-usage: input=10,output=20");
        Response failed = post(proxy, "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "x-api-key: k-alice", "x-mock-status: 500");
        Response counted = post(proxy, "/v1/messages/count_tokens", Requests.messages("claude-sonnet-4-5", false),
                "x-api-key: k-alice");
        assertThat(List.of(stream.status, json.status, failed.status, counted.status))
                .containsExactly(200, 200, 500, 200);
        awaitRows(4);

        Map<String, Object> s = row(stream.header("x-claude-lb-request-id"));
        assertThat(s).containsEntry("client", "alice").containsEntry("session_id", "sess-1")
                .containsEntry("upstream", "up").containsEntry("requested_model", "claude-opus-4-7")
                .containsEntry("target_model", "claude-opus-4-7").containsEntry("endpoint", "messages")
                .containsEntry("status", 200L).containsEntry("outcome", "completed").containsEntry("attempts", 1L)
                .containsEntry("failovers", 0L).containsEntry("input_tokens", 1200L)
                .containsEntry("output_tokens", 345L).containsEntry("cache_read_tokens", 48_000L)
                .containsEntry("cache_write_5m_tokens", 1500L).containsEntry("cache_write_1h_tokens", 800L)
                .containsEntry("cost_nanousd", OPUS_TURN_NANOS).containsEntry("coalescing", "off");
        assertThat((Long) s.get("ttfb_us")).isPositive();
        assertThat((Long) s.get("duration_us")).isGreaterThanOrEqualTo((Long) s.get("ttfb_us"));

        Map<String, Object> j = row(json.header("x-claude-lb-request-id"));
        assertThat(j).containsEntry("input_tokens", 10L).containsEntry("output_tokens", 20L)
                .containsEntry("cache_read_tokens", 0L).containsEntry("cost_nanousd", 330_000L) // 10*3 + 20*15 µ$
                .containsEntry("session_id", "alice"); // no session: the client key is the affinity key

        Map<String, Object> f = row(failed.header("x-claude-lb-request-id"));
        assertThat(f).containsEntry("status", 500L).containsEntry("input_tokens", 0L)
                .containsEntry("cost_nanousd", 0L).containsEntry("attempts", 1L);

        Map<String, Object> c = row(counted.header("x-claude-lb-request-id"));
        assertThat(c).containsEntry("endpoint", "count_tokens").containsEntry("input_tokens", 0L)
                .containsEntry("cost_nanousd", 0L);

        // The same numbers through the report.
        ReportRow total = ReportRow.total(proxy.usage().reports().report(lastDay(Set.of())));
        assertThat(total.requests()).isEqualTo(3);
        assertThat(total.countTokens()).isEqualTo(1);
        assertThat(total.errors()).isEqualTo(1);
        assertThat(total.costNanos()).isEqualTo(OPUS_TURN_NANOS + 330_000L);
        assertThat(total.cacheHitRate()).isEqualTo(48_000.0 / (48_000 + 1500 + 800 + 1200 + 10));
    }

    @Test
    void aFailoverIsCountedAndTheAnsweringUpstreamIsRecorded() throws Exception {
        MockUpstream a = mock("a");
        MockUpstream b = mock("b");
        a.setBehaviour(MockBehaviour.builder().errorStatus(503).build());
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("a", a.baseUrl()).anthropic("b", b.baseUrl())
                .route(new RouteConfig("*", List.of(new TargetConfig("a", "claude-opus-4-7", 0, 1),
                        new TargetConfig("b", "databricks-claude-opus-4-7", 1, 1)),
                        io.claudelb.core.config.Strategy.PRIORITY)));

        Response r = post(proxy, "/v1/messages", Requests.messages("claude-opus-4-7", true), OPUS_TURN);
        assertThat(r.status).isEqualTo(200);
        awaitRows(1);
        assertThat(row(r.header("x-claude-lb-request-id"))).containsEntry("upstream", "b")
                .containsEntry("target_model", "databricks-claude-opus-4-7").containsEntry("attempts", 2L)
                .containsEntry("failovers", 1L).containsEntry("client", null)
                // Databricks' name for Opus 4.7 is priced as Opus 4.7.
                .containsEntry("cost_nanousd", OPUS_TURN_NANOS);
    }

    @Test
    void coalescedFollowersAreRecordedWithTheirTokensAndNoCost() throws Exception {
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("up", "http://127.0.0.1:9"));
        ExchangeEvent leader = Events.request().answeredBy("up", null).usage(1200, 345, 48_000, 1500, 800)
                .role(CoalescingRole.LEADER).build();
        ExchangeEvent follower = Events.request().answeredBy("up", null).usage(1200, 345, 48_000, 1500, 800)
                .role(CoalescingRole.FOLLOWER).build();
        ExchangeEvent replay = Events.request().answeredBy("up", null).usage(1200, 345, 48_000, 1500, 800)
                .role(CoalescingRole.REPLAY).build();
        for (ExchangeEvent e : List.of(leader, follower, replay)) {
            proxy.gateway().exchangeServices().observers().exchangeEnded(e);
        }
        awaitRows(3);
        assertThat(row(leader.requestId())).containsEntry("cost_nanousd", OPUS_TURN_NANOS)
                .containsEntry("coalescing", "leader");
        assertThat(row(follower.requestId())).containsEntry("cost_nanousd", 0L)
                .containsEntry("coalescing", "follower").containsEntry("output_tokens", 345L);
        assertThat(row(replay.requestId())).containsEntry("cost_nanousd", 0L).containsEntry("coalescing", "replay");
        ReportRow total = ReportRow.total(proxy.usage().reports().report(around(leader, Set.of())));
        assertThat(total.requests()).isEqualTo(3);
        assertThat(total.coalesced()).isEqualTo(2);
        assertThat(total.outputTokens()).isEqualTo(345); // billed tokens: the leader's only
        assertThat(total.costNanos()).isEqualTo(OPUS_TURN_NANOS);
        assertThat(db.count("SELECT SUM(coalesced) FROM usage_hourly")).isEqualTo(2);
        assertThat(db.count("SELECT SUM(output_tokens) FROM usage_hourly")).isEqualTo(345);
    }

    @Test
    void aRecordWrittenTwiceIsOneRowAndCountedOnceInItsHour() throws Exception {
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("up", "http://127.0.0.1:9"));
        ExchangeEvent e = Events.request().answeredBy("up", null).usage(10, 10, 0, 0, 0).build();
        proxy.gateway().exchangeServices().observers().exchangeEnded(e);
        awaitRows(1);
        proxy.gateway().exchangeServices().observers().exchangeEnded(e);
        ExchangeEvent next = Events.request().answeredBy("up", null).usage(1, 1, 0, 0, 0).build();
        proxy.gateway().exchangeServices().observers().exchangeEnded(next);
        awaitRows(2);
        Await.until("both written", () -> proxy.usage().stats().pending() == 0, Duration.ofSeconds(10));
        assertThat(db.count("SELECT SUM(requests) FROM usage_hourly")).isEqualTo(2);
        assertThat(proxy.usage().stats().written()).isEqualTo(2);
    }

    @Test
    void reportsGroupByClientSessionModelUpstreamAndDayWithSwitchesAndHitRates() throws Exception {
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("ws-a", "http://127.0.0.1:9")
                .anthropic("ws-b", "http://127.0.0.1:9"));
        Instant t = Instant.parse("2026-12-01T22:30:00Z"); // 23:30 in Berlin, the 1st
        List<ExchangeEvent> events = List.of(
                Events.request().at(t).session("s1").answeredBy("ws-a", null).usage(100, 10, 900, 0, 0).build(),
                Events.request().at(t.plusSeconds(60)).session("s1").answeredBy("ws-b", null)
                        .usage(100, 10, 0, 1000, 0).build(),                       // switch 1 (a -> b)
                Events.request().at(t.plusSeconds(120)).session("s1").answeredBy("ws-b", null)
                        .usage(100, 10, 1000, 0, 0).build(),
                Events.request().at(t.plusSeconds(3600)).session("s1").failedOn("ws-b", FailureKind.HTTP_503)
                        .answeredBy("ws-a", null).usage(100, 10, 0, 0, 1100).build(), // switch 2 (b -> a), the 2nd
                Events.request().at(t.plusSeconds(90)).client("bob").session("s9").model("claude-haiku-4-5")
                        .answeredBy("ws-a", null).usage(1000, 100, 0, 0, 0).build());
        events.forEach(proxy.gateway().exchangeServices().observers()::exchangeEnded);
        awaitRows(5);
        UsageReports reports = proxy.usage().reports();
        Instant from = Instant.parse("2026-12-01T00:00:00Z");
        Instant to = Instant.parse("2026-12-03T00:00:00Z");

        List<ReportRow> bySession = reports.report(new ReportQuery(from, to,
                EnumSet.of(ReportDimension.CLIENT, ReportDimension.SESSION), null, ZoneOffset.UTC));
        ReportRow s1 = bySession.stream().filter(r -> "s1".equals(r.group().get(ReportDimension.SESSION)))
                .findFirst().orElseThrow();
        assertThat(s1.requests()).isEqualTo(4);
        assertThat(s1.upstreamSwitches()).isEqualTo(2);
        assertThat(s1.failovers()).isEqualTo(1);
        assertThat(s1.cacheReadTokens()).isEqualTo(1900);
        assertThat(s1.cacheWrite5mTokens()).isEqualTo(1000);
        assertThat(s1.cacheWrite1hTokens()).isEqualTo(1100);
        assertThat(s1.cacheHitRate()).isEqualTo(1900.0 / (1900 + 1000 + 1100 + 400));
        ReportRow bob = bySession.stream().filter(r -> "bob".equals(r.group().get(ReportDimension.CLIENT)))
                .findFirst().orElseThrow();
        assertThat(bob.cacheHitRate()).isZero();
        assertThat(bob.costNanos()).isEqualTo(1_500_000L); // 1000 * $1 + 100 * $5 per million

        List<ReportRow> byDayBerlin = reports.report(new ReportQuery(from, to, EnumSet.of(ReportDimension.DAY),
                "alice", ZoneId.of("Europe/Berlin")));
        assertThat(byDayBerlin).extracting(r -> r.group().get(ReportDimension.DAY) + "=" + r.requests())
                .containsExactlyInAnyOrder("2026-12-01=3", "2026-12-02=1");
        List<ReportRow> byDayUtc = reports.report(new ReportQuery(from, to, EnumSet.of(ReportDimension.DAY),
                "alice", ZoneOffset.UTC));
        assertThat(byDayUtc).extracting(r -> r.group().get(ReportDimension.DAY) + "=" + r.requests())
                .containsExactly("2026-12-01=4");

        List<ReportRow> byUpstreamModel = reports.report(new ReportQuery(from, to,
                EnumSet.of(ReportDimension.UPSTREAM, ReportDimension.MODEL), null, ZoneOffset.UTC));
        assertThat(byUpstreamModel).extracting(r -> r.group().get(ReportDimension.UPSTREAM) + "/"
                + r.group().get(ReportDimension.MODEL) + "=" + r.requests())
                .containsExactlyInAnyOrder("ws-a/claude-opus-4-7=2", "ws-b/claude-opus-4-7=2",
                        "ws-a/claude-haiku-4-5=1");
    }

    @Test
    void retentionDeletesOldRowsAndTheHourlyTotalsStillReportThem() throws Exception {
        db = db.withRetention(Duration.ofDays(30));
        ProxyServer proxy = proxy(TestConfigs.proxy().anthropic("up", "http://127.0.0.1:9"));
        Instant old = Instant.now().minus(Duration.ofDays(40)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        ExchangeEvent gone = Events.request().at(old.plusSeconds(60)).answeredBy("up", null)
                .usage(100, 10, 300, 0, 0).build();
        ExchangeEvent kept = Events.request().at(Instant.now().minusSeconds(60)).answeredBy("up", null)
                .usage(1, 1, 0, 0, 0).build();
        proxy.gateway().exchangeServices().observers().exchangeEnded(gone);
        proxy.gateway().exchangeServices().observers().exchangeEnded(kept);
        awaitRows(2);
        proxy.usage().requestMaintenance();
        awaitRows(1);
        assertThat(db.count("SELECT COUNT(*) FROM usage_records WHERE request_id = '" + kept.requestId() + "'"))
                .isEqualTo(1);
        ReportQuery all = new ReportQuery(old.minus(Duration.ofDays(1)), Instant.now().plusSeconds(60),
                EnumSet.of(ReportDimension.CLIENT), null, ZoneOffset.UTC);
        ReportRow total = ReportRow.total(proxy.usage().reports().report(all));
        assertThat(total.requests()).isEqualTo(2);
        assertThat(total.inputTokens()).isEqualTo(101);
        assertThat(total.cacheReadTokens()).isEqualTo(300);
        assertThat(total.costNanos()).isEqualTo(930_000L); // (100*5 + 10*25 + 300*0.5) + (1*5 + 1*25) micro-dollars
    }

    @Test
    void budgetsSurviveARestart() throws Exception {
        MockUpstream up = mock("up");
        LimitsSettings limits = new LimitsSettings(ClientLimits.NONE, 0, Map.of("alice",
                new ClientLimits(0, 0, 0, new BudgetLimits(USD / 10, 0, 0))), ZoneOffset.UTC); // $0.10 a day
        TestConfigs config = TestConfigs.proxy().anthropic("up", up.baseUrl()).client("alice", "k-alice")
                .limits(limits);
        ProxyServer first = proxy(config);
        // $0.056 each: the first two are admitted (spent < budget), then the budget is spent.
        assertThat(post(first, "/v1/messages", Requests.messages("claude-opus-4-7", true), "x-api-key: k-alice",
                OPUS_TURN).status).isEqualTo(200);
        assertThat(post(first, "/v1/messages", Requests.messages("claude-opus-4-7", true), "x-api-key: k-alice",
                OPUS_TURN).status).isEqualTo(200);
        Await.until("both charged", () -> first.gateway().admissions().open() == 0, Duration.ofSeconds(5));
        assertThat(post(first, "/v1/messages", Requests.messages("claude-opus-4-7", true), "x-api-key: k-alice")
                .status).isEqualTo(429);
        first.stop(Duration.ofSeconds(5));
        proxies.remove(first);
        up.clearRequests();

        ProxyServer second = proxy(config);
        Response refused = post(second, "/v1/messages", Requests.messages("claude-opus-4-7", true),
                "x-api-key: k-alice");
        assertThat(refused.status).isEqualTo(429);
        assertThat(refused.header("x-claude-lb-limit")).isEqualTo("daily_budget");
        assertThat(refused.header("x-should-retry")).isEqualTo("false");
        assertThat(up.requests()).isEmpty();
        assertThat(second.gateway().admissions().limiter().status("alice").budgets()
                .get(io.claudelb.core.limit.BudgetPeriod.DAY).spentNanos()).isEqualTo(2 * OPUS_TURN_NANOS);
    }

    private static ReportQuery lastDay(Set<ReportDimension> dims) {
        Instant now = Instant.now();
        return new ReportQuery(now.minus(Duration.ofDays(1)), now.plusSeconds(60), dims, null, ZoneOffset.UTC);
    }

    private static ReportQuery around(ExchangeEvent e, Set<ReportDimension> dims) {
        Instant at = Instant.ofEpochMilli(e.startEpochMillis());
        return new ReportQuery(at.minus(Duration.ofDays(1)), at.plus(Duration.ofDays(1)), dims, null, ZoneOffset.UTC);
    }
}
