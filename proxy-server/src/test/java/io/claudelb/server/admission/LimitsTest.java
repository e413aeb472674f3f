package io.claudelb.server.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Limits through the proxy: each kind answers Anthropic's 429 ({@code rate_limit_error}, {@code retry-after},
 * {@code anthropic-ratelimit-*}) before any upstream call (the mock sees nothing of a refused request), a looping
 * session is held while its client's other sessions go on, and a reload changes limits without losing counts.
 * Time is a {@link FakeClock}: buckets refill only when the test says so.
 */
class LimitsTest {
    private static final String ALICE = "x-api-key: k-alice";
    private final FakeClock clock = new FakeClock();
    private MockUpstream mock;
    private ProxyServer proxy;

    @BeforeEach
    void startMock() {
        mock = MockUpstream.start(MockOptions.builder().name("up").ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        mock.close();
    }

    private TestConfigs config(LimitsSettings limits) {
        return TestConfigs.proxy().anthropic("up", mock.baseUrl()).client("alice", "k-alice").client("bob", "k-bob")
                .adminKey("k-admin").limits(limits);
    }

    private void start(LimitsSettings limits) throws InterruptedException {
        proxy = ProxyServer.start(config(limits).build(), clock, "test");
    }

    private static LimitsSettings alice(ClientLimits limits) {
        return new LimitsSettings(ClientLimits.NONE, 0, Map.of("alice", limits), ZoneOffset.UTC);
    }

    private Response send(String... headers) {
        return send(true, headers);
    }

    private Response send(boolean stream, String... headers) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", stream), headers));
    }

    private void awaitSettled() {
        Await.until("every ticket finished", () -> proxy.gateway().admissions().open() == 0, Duration.ofSeconds(5));
    }

    private static void assertAnthropic429(Response r, String limit) {
        assertThat(r.status).isEqualTo(429);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        Json body = r.json();
        assertThat(body.text("type")).isEqualTo("error");
        assertThat(body.text("error.type")).isEqualTo("rate_limit_error");
        assertThat(body.text("error.message")).isNotBlank().doesNotContain("k-alice");
        assertThat(r.header("x-claude-lb-request-id")).matches("lbreq_[0-9a-f]{24}");
        assertThat(r.header("x-claude-lb-limit")).isEqualTo(limit);
        assertThat(Long.parseLong(r.header("retry-after"))).isPositive();
    }

    @Test
    void requestsPerMinute() throws Exception {
        start(alice(new ClientLimits(2, 0, 0, BudgetLimits.NONE)));
        assertThat(send(ALICE).status).isEqualTo(200);
        assertThat(send(ALICE).status).isEqualTo(200);
        mock.clearRequests();
        Response r = send(ALICE);
        assertAnthropic429(r, "requests_per_minute");
        assertThat(r.header("retry-after")).isEqualTo("30"); // 2 per minute: one back every 30 s
        assertThat(r.header("anthropic-ratelimit-requests-limit")).isEqualTo("2");
        assertThat(r.header("anthropic-ratelimit-requests-remaining")).isEqualTo("0");
        Instant reset = Instant.parse(r.header("anthropic-ratelimit-requests-reset"));
        assertThat(reset).isBetween(Instant.now().plusSeconds(55), Instant.now().plusSeconds(62));
        assertThat(r.header("anthropic-ratelimit-tokens-limit")).isNull();
        assertThat(r.header("x-should-retry")).isNull();
        assertThat(mock.requests()).isEmpty();
        // bob is not alice; alice gets one back after 30 s.
        assertThat(send("x-api-key: k-bob").status).isEqualTo(200);
        clock.advance(Duration.ofSeconds(30));
        assertThat(send(ALICE).status).isEqualTo(200);
    }

    @Test
    void tokensPerMinuteAreChargedWhenTheAnswerEnds() throws Exception {
        start(alice(new ClientLimits(0, 1000, 0, BudgetLimits.NONE)));
        assertThat(send(ALICE, "x-mock-usage: input=400,output=200").status).isEqualTo(200);
        awaitSettled();
        assertThat(send(false, ALICE, "x-mock-usage: input=600,output=300").status).isEqualTo(200); // 400 left
        awaitSettled();
        mock.clearRequests();
        Response r = send(ALICE);
        assertAnthropic429(r, "tokens_per_minute");
        assertThat(r.header("anthropic-ratelimit-tokens-limit")).isEqualTo("1000");
        assertThat(r.header("anthropic-ratelimit-tokens-remaining")).isEqualTo("0");
        assertThat(r.header("retry-after")).isEqualTo("31"); // 500 in debt at 1000 a minute, plus one token: 30.06 s
        assertThat(mock.requests()).isEmpty();
        clock.advance(Duration.ofSeconds(31));
        assertThat(send(ALICE).status).isEqualTo(200);
    }

    @Test
    void concurrentRequests() throws Exception {
        start(alice(new ClientLimits(0, 0, 1, BudgetLimits.NONE)));
        try (RawHttpClient slow = RawHttpClient.connect(proxy.port())) {
            slow.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true), ALICE,
                    "x-mock-pace-ms: 300", "x-mock-events: 5"));
            Response head = slow.readHead();
            assertThat(head.status).isEqualTo(200);
            Response r = send(ALICE);
            assertAnthropic429(r, "concurrent");
            assertThat(mock.requests()).hasSize(1);
            slow.readUntil(head, "message_stop");
        }
        awaitSettled();
        assertThat(send(ALICE).status).isEqualTo(200);
    }

    @Test
    void aLoopingSessionIsHeldAndTheClientsOtherSessionsGoOn() throws Exception {
        start(new LimitsSettings(ClientLimits.NONE, 3, Map.of("alice", new ClientLimits(10, 0, 0,
                BudgetLimits.NONE)), ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            assertThat(send(ALICE, "x-claude-code-session-id: loop").status).isEqualTo(200);
        }
        mock.clearRequests();
        for (int i = 0; i < 20; i++) {
            Response r = send(ALICE, "x-claude-code-session-id: loop");
            assertAnthropic429(r, "session_requests_per_minute");
            assertThat(r.header("anthropic-ratelimit-requests-limit")).isEqualTo("3");
        }
        assertThat(mock.requests()).isEmpty();
        for (int i = 0; i < 3; i++) {
            assertThat(send(ALICE, "x-claude-code-session-id: review").status).isEqualTo(200);
        }
        // The loop's refusals cost the client nothing: 3 + 3 of its 10 are used.
        assertThat(proxy.gateway().admissions().limiter().status("alice").requests().remaining()).isEqualTo(4);
    }

    @Test
    void aSpentDailyBudgetSaysDoNotRetry() throws Exception {
        start(alice(new ClientLimits(0, 0, 0, new BudgetLimits(BudgetLimits.NANOS_PER_USD / 1000, 0, 0))));
        // Sonnet: 100 * $3 + 50 * $15 per million = $0.00105, over the $0.001 budget.
        assertThat(send(ALICE, "x-mock-usage: input=100,output=50").status).isEqualTo(200);
        awaitSettled();
        mock.clearRequests();
        Response r = send(ALICE);
        assertAnthropic429(r, "daily_budget");
        assertThat(r.header("x-should-retry")).isEqualTo("false");
        assertThat(r.json().text("error.message")).contains("daily budget of $0.001");
        assertThat(mock.requests()).isEmpty();
    }

    @Test
    void aReloadChangesLimitsAndKeepsTheCounts() throws Exception {
        start(alice(new ClientLimits(3, 0, 0, BudgetLimits.NONE)));
        for (int i = 0; i < 3; i++) {
            assertThat(send(ALICE).status).isEqualTo(200);
        }
        assertThat(send(ALICE).status).isEqualTo(429);
        GatewayConfig doubled = config(alice(new ClientLimits(6, 0, 0, BudgetLimits.NONE))).build();
        proxy.gateway().reload(doubled);
        // 3 of 6 used: three more, not six.
        for (int i = 0; i < 3; i++) {
            assertThat(send(ALICE).status).isEqualTo(200);
        }
        assertAnthropic429(send(ALICE), "requests_per_minute");
        Response status = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/usage/clients/alice", ALICE));
        assertThat(status.status).isEqualTo(200);
        assertThat(status.json().number("limits.requests_per_minute")).isEqualTo(6);
        assertThat(status.json().number("remaining.requests.remaining")).isZero();
        proxy.gateway().reload(config(LimitsSettings.NONE).build());
        assertThat(send(ALICE).status).isEqualTo(200);
    }
}
