package io.claudelb.server.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.cli.Main;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.TestConfigs;
import io.claudelb.server.support.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /usage}, {@code GET /usage/clients/{name}} and {@code claude-lb usage} over an SQLite database the
 * gateway is writing: who may see what, the JSON shape, the parameters, and the command's table read from the
 * same file while the gateway runs.
 */
class UsageReportsEndpointTest {
    private static final String ADMIN = "x-api-key: k-admin";
    private static final String ALICE = "x-api-key: k-alice";
    private static final String BOB = "authorization: Bearer k-bob";

    @TempDir
    Path dir;
    private TestDatabase db;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws InterruptedException {
        db = TestDatabase.fresh(TestDatabase.Kind.SQLITE, dir);
        LimitsSettings limits = new LimitsSettings(new ClientLimits(600, 0, 0, BudgetLimits.NONE), 120,
                Map.of("alice", new ClientLimits(60, 100_000, 4, new BudgetLimits(0, 0, 500 * BudgetLimits.NANOS_PER_USD))),
                ZoneOffset.UTC);
        proxy = ProxyServer.start(TestConfigs.proxy().anthropic("ws-a", "http://127.0.0.1:9")
                .client("alice", "k-alice").client("bob", "k-bob").adminKey("k-admin").storage(db.settings())
                .limits(limits).build(), NanoClock.SYSTEM, "test");
        Instant now = Instant.now().minusSeconds(120);
        List<ExchangeEvent> events = List.of(
                Events.request().at(now).client("alice").session("s1").answeredBy("ws-a", null)
                        .usage(1200, 345, 48_000, 1500, 800).build(),
                Events.request().at(now.plusSeconds(1)).client("alice").session("s2").model("claude-sonnet-4-5")
                        .answeredBy("ws-a", null).usage(10, 20, 0, 0, 0).build(),
                Events.request().at(now.plusSeconds(2)).client("bob").session("s3").answeredBy("ws-a", null)
                        .usage(100, 10, 0, 0, 0).build());
        events.forEach(proxy.gateway().exchangeServices().observers()::exchangeEnded);
        Await.until("3 rows", () -> db.count("SELECT COUNT(*) FROM usage_records") == 3, Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
    }

    private Response get(String path, String... headers) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.get(path, headers));
    }

    @Test
    void theAdminSeesEveryClient() {
        Response r = get("/usage?group_by=client", ADMIN);
        assertThat(r.status).isEqualTo(200);
        Json body = r.json();
        assertThat(body.text("rows.0.client")).isEqualTo("alice"); // most expensive first
        assertThat(body.number("rows.0.requests")).isEqualTo(2);
        assertThat(body.number("rows.0.tokens.cache_read")).isEqualTo(48_000);
        assertThat(body.number("rows.0.tokens.cache_write_5m")).isEqualTo(1500);
        assertThat(body.number("rows.0.tokens.cache_write_1h")).isEqualTo(800);
        assertThat(body.decimal("rows.0.cost_usd")).isEqualTo(0.05633); // $0.056 + $0.00033
        assertThat(body.decimal("rows.0.cache_hit_rate")).isEqualTo(0.9319); // 48000 / (48000 + 1500 + 800 + 1210)
        assertThat(body.text("rows.1.client")).isEqualTo("bob");
        assertThat(body.number("total.requests")).isEqualTo(3);
        assertThat(body.text("timezone")).isEqualTo("Z");
        assertThat(r.bodyText()).doesNotContain("k-alice").doesNotContain("k-admin");
    }

    @Test
    void aClientKeySeesOnlyItsOwnRowsAndLimits() {
        Json alice = get("/usage?group_by=client,session,model", ALICE).json();
        assertThat(alice.text("client")).isEqualTo("alice");
        assertThat(alice.number("total.requests")).isEqualTo(2);
        assertThat(get("/usage", BOB).json().number("total.requests")).isEqualTo(1);
        assertThat(get("/usage/clients/bob", ALICE).status).isEqualTo(403);
        Response own = get("/usage/clients/alice", ALICE);
        assertThat(own.status).isEqualTo(200);
        Json s = own.json();
        assertThat(s.number("limits.requests_per_minute")).isEqualTo(60);
        assertThat(s.number("limits.tokens_per_minute")).isEqualTo(100_000);
        assertThat(s.number("limits.concurrent")).isEqualTo(4);
        assertThat(s.number("limits.session_requests_per_minute")).isEqualTo(120);
        assertThat(s.decimal("limits.budget.monthly_usd")).isEqualTo(500.0);
        assertThat(s.number("remaining.requests.limit")).isEqualTo(60);
        assertThat(s.number("remaining.concurrent")).isEqualTo(4);
        // Spend is charged through admission tickets: these rows were written without one (and a fresh database
        // restored nothing), so nothing is spent yet.
        assertThat(s.decimal("spend.month.spent_usd")).isZero();
        assertThat(s.decimal("spend.month.budget_usd")).isEqualTo(500.0);
        assertThat(s.decimal("spend.month.remaining_usd")).isEqualTo(500.0);
        assertThat(s.has("spend.day.resets_at")).isTrue();
        assertThat(get("/usage/clients/bob", ADMIN).json().number("limits.requests_per_minute")).isEqualTo(600);
    }

    @Test
    void noKeyAndUnknownNamesAndBadParametersAreAnthropicErrors() {
        Response none = get("/usage");
        assertThat(none.status).isEqualTo(401);
        assertThat(none.json().text("error.type")).isEqualTo("authentication_error");
        assertThat(get("/usage/clients/carol", ADMIN).status).isEqualTo(404);
        Response bad = get("/usage?from=yesterday", ADMIN);
        assertThat(bad.status).isEqualTo(400);
        assertThat(bad.json().text("error.message")).contains("from").contains("ISO-8601");
        assertThat(get("/usage?group_by=planet", ADMIN).json().text("error.message")).contains("planet");
        assertThat(get("/usage?from=2026-12-02&to=2026-12-01", ADMIN).status).isEqualTo(400);
    }

    @Test
    void datesAndInstantsSelectTheRange() {
        String today = java.time.LocalDate.now(ZoneOffset.UTC).toString();
        assertThat(get("/usage?from=" + today + "&to=" + today, ADMIN).json().number("total.requests"))
                .isEqualTo(3);
        Instant future = Instant.now().plus(Duration.ofDays(2));
        assertThat(get("/usage?from=" + future + "&to=" + future.plusSeconds(60), ADMIN).json()
                .number("total.requests")).isZero();
    }

    @Test
    void theUsageCommandPrintsATableFromTheSameDatabaseWhileTheGatewayRuns() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "usage", "--url", db.settings().url(),
                "--since", "7d", "--by", "client");
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        List<String> lines = out.toString().lines().toList();
        assertThat(lines.get(1)).startsWith("client").contains("requests", "cache_read", "hit_rate", "cost_usd");
        assertThat(lines.get(2)).startsWith("alice").contains("48000", "93.2%", "0.0563");
        assertThat(lines.get(3)).startsWith("bob");
        assertThat(lines.get(4)).startsWith("TOTAL").contains(" 3 ");

        Path config = Files.writeString(dir.resolve("lb.yaml"), "storage: { url: \"" + db.settings().url()
                + "\" }\nupstreams: [ { name: ws-a, base_url: \"http://127.0.0.1:9\" } ]\n");
        StringWriter byModel = new StringWriter();
        assertThat(Main.run(new PrintWriter(byModel), new PrintWriter(new StringWriter()), "usage", "--config",
                config.toString(), "--by", "model,session")).isZero();
        assertThat(byModel.toString()).contains("claude-opus-4-7", "claude-sonnet-4-5", "s1", "s3");

        StringWriter missing = new StringWriter();
        assertThat(Main.run(new PrintWriter(new StringWriter()), new PrintWriter(missing), "usage", "--url",
                "jdbc:sqlite:" + dir.resolve("none.db"))).isEqualTo(1);
        assertThat(missing.toString()).contains("no usage database");
        assertThat(Files.exists(dir.resolve("none.db"))).isFalse();
    }
}
