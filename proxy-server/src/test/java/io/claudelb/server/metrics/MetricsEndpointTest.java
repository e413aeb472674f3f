package io.claudelb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.MetricsSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} end to end: a JSON request, a stream, a failover and a 401 through the proxy against two mock
 * upstreams, then the scrape checked series by series (names, labels and values); who may scrape (loopback, the
 * token, the admin key, not a client key); and {@code metrics.enabled: false}.
 */
class MetricsEndpointTest {
    private static final String ALICE = "alice-key-for-tests";
    private static final String BOB = "bob-key-for-tests";
    private static final String ADMIN = "admin-key-for-tests";
    private static final String TOKEN = "scrape-token-for-tests";
    private static final String MODEL = "claude-sonnet-4-5";

    /** Every series README "Operate it" names (histograms by their _count). */
    private static final List<String> SERIES = List.of("claude_lb_requests_total",
            "gen_ai_server_time_to_first_token_seconds_count", "claude_lb_request_duration_seconds_count",
            "claude_lb_proxy_overhead_seconds_count", "gen_ai_client_token_usage_count",
            "claude_lb_upstream_attempt_failures_total", "claude_lb_failovers_total",
            "claude_lb_coalescing_requests_total", "claude_lb_coalescing_upstream_calls_saved_total",
            "claude_lb_coalescing_fanned_out_bytes_total", "claude_lb_coalescing_followers_dropped_total",
            "claude_lb_coalescing_linger_hits_total", "claude_lb_coalescing_calls",
            "claude_lb_admission_rejections_total", "claude_lb_upstream_in_flight", "claude_lb_upstream_breaker_state",
            "claude_lb_upstream_breaker_half_open_delay_seconds", "claude_lb_upstream_cooldown_seconds",
            "claude_lb_upstream_available", "claude_lb_affinity_bindings", "claude_lb_affinity_rebinds_total",
            "claude_lb_pool_connections_open", "claude_lb_pool_connections_idle", "claude_lb_pool_acquires_pending",
            "claude_lb_client_connections", "claude_lb_active_streams", "claude_lb_active_requests",
            "claude_lb_usage_queue_pending", "claude_lb_usage_queue_capacity",
            "claude_lb_usage_database_up", "claude_lb_usage_records_written_total",
            "claude_lb_usage_records_dropped_total", "claude_lb_usage_write_failures_total",
            "claude_lb_netty_direct_memory_used_bytes", "claude_lb_netty_allocator_used_bytes",
            "jvm_memory_used_bytes", "jvm_gc_memory_allocated_bytes_total", "jvm_threads_live_threads",
            "process_cpu_usage", "process_uptime_seconds", "process_files_open_files");

    private MockUpstream a;
    private MockUpstream b;
    private ProxyServer proxy;

    private ProxyServer start(UnaryOperator<TestConfigs> extra) throws InterruptedException {
        a = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).build());
        b = MockUpstream.start(MockOptions.builder().name("b").ioThreads(1).build());
        // b first, a behind it: a failure of b fails over to a. Listening on every address (client keys make that
        // allowed), so the test can also call from this machine's non-loopback address.
        TestConfigs configs = TestConfigs.proxy()
                .server(ServerSettings.builder().host("0.0.0.0").port(0).shutdownGrace(Duration.ofSeconds(1))
                        .ioThreads(2).build())
                .anthropic("a", a.baseUrl()).anthropic("b", b.baseUrl())
                .client("alice", ALICE).client("bob", BOB).adminKey(ADMIN)
                .balancing(new BalancingSettings(Strategy.PRIORITY, AffinityMode.NONE, Duration.ofHours(1), 1000))
                .route(new RouteConfig("*", List.of(new TargetConfig("b", null, 0, 0),
                        new TargetConfig("a", null, 1, 0)), Strategy.PRIORITY));
        proxy = ProxyServer.start(extra.apply(configs).build(), NanoClock.SYSTEM, "test");
        return proxy;
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(2));
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Test
    void seriesCountWhatHappened() throws InterruptedException {
        start(c -> c.metrics(new MetricsSettings(true, Secret.of(TOKEN))));
        RawHttpClient.Response json = call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false),
                "x-api-key: " + ALICE));
        assertThat(json.status).isEqualTo(200);
        RawHttpClient.Response sse = call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true),
                "x-api-key: " + BOB));
        assertThat(sse.status).isEqualTo(200);
        b.setBehaviour(MockBehaviour.builder().errorStatus(500).build());
        RawHttpClient.Response failedOver = call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false),
                "x-api-key: " + ALICE));
        assertThat(failedOver.status).isEqualTo(200);
        assertThat(failedOver.upstream()).isEqualTo("a");
        b.setBehaviour(MockBehaviour.defaults());
        assertThat(call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false))).status).isEqualTo(401);

        RawHttpClient.Response scraped = call(RawHttpClient.get("/metrics"));
        assertThat(scraped.status).isEqualTo(200);
        assertThat(scraped.header("content-type")).startsWith("text/plain; version=0.0.4");
        Scrape s = Scrape.parse(scraped.bodyText());

        assertThat(s.sum("claude_lb_requests_total", "endpoint", "messages", "client", "alice", "upstream", "b",
                "status_class", "2xx", "model_family", "sonnet", "target_model", MODEL, "outcome", "completed"))
                .isEqualTo(1);
        assertThat(s.sum("claude_lb_requests_total", "client", "alice", "upstream", "a")).isEqualTo(1);
        assertThat(s.sum("claude_lb_requests_total", "client", "bob", "upstream", "b")).isEqualTo(1);
        assertThat(s.sum("claude_lb_requests_total", "endpoint", "messages", "client", "none", "upstream", "none",
                "status_class", "4xx")).isEqualTo(1);
        assertThat(s.sum("claude_lb_upstream_attempt_failures_total", "upstream", "b", "error_kind", "http_500"))
                .isEqualTo(1);
        assertThat(s.sum("claude_lb_failovers_total", "upstream", "b", "error_kind", "http_500")).isEqualTo(1);
        assertThat(s.sum("claude_lb_failovers_total")).isEqualTo(1);

        // Histograms: every relayed answer has a time to first byte and an overhead, every request a duration.
        assertThat(s.sum("gen_ai_server_time_to_first_token_seconds_count", "upstream", "b", "stream", "true"))
                .isEqualTo(1);
        assertThat(s.sum("gen_ai_server_time_to_first_token_seconds_count")).isEqualTo(3);
        assertThat(s.sum("claude_lb_proxy_overhead_seconds_count", "upstream", "a")).isEqualTo(1);
        assertThat(s.sum("claude_lb_request_duration_seconds_count")).isEqualTo(4);
        assertThat(s.matching("claude_lb_request_duration_seconds_bucket", "le", "+Inf")).isNotEmpty();
        assertThat(s.sum("claude_lb_proxy_overhead_seconds_sum"))
                .isLessThan(s.sum("gen_ai_server_time_to_first_token_seconds_sum"));

        // Tokens: alice's two JSON answers exactly as the mock reported them.
        long aliceInput = json.json().number("usage.input_tokens") + failedOver.json().number("usage.input_tokens");
        long aliceOutput = json.json().number("usage.output_tokens")
                + failedOver.json().number("usage.output_tokens");
        assertThat(s.sum("gen_ai_client_token_usage_sum", "client", "alice", "gen_ai_token_type", "input"))
                .isEqualTo(aliceInput);
        assertThat(s.sum("gen_ai_client_token_usage_sum", "client", "alice", "gen_ai_token_type", "output"))
                .isEqualTo(aliceOutput);
        assertThat(s.sum("gen_ai_client_token_usage_count", "client", "alice", "gen_ai_token_type", "output"))
                .isEqualTo(2);
        assertThat(s.sum("gen_ai_client_token_usage_sum", "client", "bob", "gen_ai_token_type", "output"))
                .isPositive();

        // Gauges of the upstreams' health, the admission and coalescing counters, Netty and the JVM.
        assertThat(s.sum("claude_lb_upstream_breaker_state", "upstream", "a", "state", "closed")).isEqualTo(1);
        assertThat(s.sum("claude_lb_upstream_breaker_state", "upstream", "a", "state", "open")).isZero();
        assertThat(s.sum("claude_lb_upstream_available", "upstream", "b")).isEqualTo(1);
        assertThat(s.matching("claude_lb_upstream_cooldown_seconds", "upstream", "b")).singleElement()
                .extracting(Scrape.Sample::value).isEqualTo(0.0);
        assertThat(s.matching("claude_lb_upstream_in_flight", "upstream", "a")).singleElement()
                .extracting(Scrape.Sample::value).isEqualTo(0.0);
        assertThat(s.matching("claude_lb_upstream_breaker_half_open_delay_seconds")).hasSize(2);
        assertThat(s.sum("claude_lb_admission_rejections_total")).isZero();
        assertThat(s.matching("claude_lb_admission_rejections_total")).hasSize(7);
        assertThat(s.has("claude_lb_coalescing_upstream_calls_saved_total")).isTrue();
        assertThat(s.has("claude_lb_affinity_rebinds_total")).isTrue();
        assertThat(s.sum("claude_lb_client_connections")).isPositive();
        assertThat(s.has("claude_lb_netty_direct_memory_used_bytes")).isTrue();
        assertThat(s.sum("jvm_memory_used_bytes")).isPositive();
        assertThat(s.has("jvm_threads_live_threads")).isTrue();
        assertThat(s.has("process_uptime_seconds")).isTrue();
        assertThat(SERIES).allSatisfy(name -> assertThat(s.has(name)).as(name).isTrue());
        // No secret in any series.
        assertThat(scraped.bodyText()).doesNotContain(ALICE, BOB, ADMIN, TOKEN, "sk-upstream");

        // Pools are counted on their own loops and sampled: the connections kept alive show within a period.
        Await.until("b's pooled connection in /metrics", () -> {
            Scrape now = Scrape.parse(call(RawHttpClient.get("/metrics")).bodyText());
            return now.sum("claude_lb_pool_connections_open", "upstream", "b") >= 1
                    && now.sum("claude_lb_pool_connections_idle", "upstream", "b") >= 1;
        }, PoolGauges.PERIOD.multipliedBy(3));
        Scrape later = Scrape.parse(call(RawHttpClient.get("/metrics")).bodyText());
        assertThat(later.sum("claude_lb_pool_acquires_pending", "upstream", "b")).isZero();
        // The scrapes are requests too.
        assertThat(later.sum("claude_lb_requests_total", "endpoint", "local", "status_class", "2xx")).isPositive();
    }

    @Test
    void activeStreamsCountTheStreamsRunningNow() throws Exception {
        start(c -> c);
        assertThat(scrape().sum("claude_lb_active_streams")).isZero();
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true), "x-api-key: " + ALICE,
                    "x-mock-pace-ms: 100", "x-mock-events: 20"));
            RawHttpClient.Response head = client.readHead();
            assertThat(head.status).isEqualTo(200);
            Scrape during = scrape();
            assertThat(during.sum("claude_lb_active_streams")).isEqualTo(1);
            assertThat(during.sum("claude_lb_active_requests")).isEqualTo(1);
            assertThat(during.sum("claude_lb_upstream_in_flight", "upstream", "b")).isEqualTo(1);
            client.readUntil(head, "message_stop");
        }
        Await.until("the stream counted out", () -> scrape().sum("claude_lb_active_streams") == 0
                && scrape().sum("claude_lb_active_requests") == 0, Duration.ofSeconds(5));
        // A client that leaves mid-stream is counted out too.
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true), "x-api-key: " + ALICE,
                    "x-mock-pace-ms: 200", "x-mock-events: 50"));
            assertThat(client.readHead().status).isEqualTo(200);
            assertThat(scrape().sum("claude_lb_active_streams")).isEqualTo(1);
        }
        Await.until("the abandoned stream counted out", () -> scrape().sum("claude_lb_active_streams") == 0,
                Duration.ofSeconds(5));
        // A JSON request is active too, but not a stream.
        assertThat(call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false), "x-api-key: " + ALICE))
                .status).isEqualTo(200);
        Await.until("the JSON request counted out", () -> scrape().sum("claude_lb_active_requests") == 0,
                Duration.ofSeconds(5));
    }

    @Test
    void droppedLogLinesAreCountedFromTheLogOutput() throws InterruptedException {
        start(c -> c);
        AtomicLong dropped = new AtomicLong(3);
        proxy.metrics().countDroppedLogLines(dropped::get);
        assertThat(scrape().sum("claude_lb_log_dropped_lines_total")).isEqualTo(3);
        dropped.set(10);
        assertThat(scrape().sum("claude_lb_log_dropped_lines_total")).isEqualTo(10);
    }

    private Scrape scrape() {
        return Scrape.parse(call(RawHttpClient.get("/metrics")).bodyText());
    }

    @Test
    void beyondLoopbackOnlyTheTokenOrTheAdminKeyScrape() throws Exception {
        start(c -> c.metrics(new MetricsSettings(true, Secret.of(TOKEN))));
        String host = nonLoopbackAddress();

        assertThat(remote(host, RawHttpClient.get("/metrics")).status).isEqualTo(401);
        RawHttpClient.Response withClientKey = remote(host, RawHttpClient.get("/metrics", "x-api-key: " + ALICE));
        assertThat(withClientKey.status).isEqualTo(401);
        assertThat(withClientKey.json().text("type")).isEqualTo("error");
        assertThat(withClientKey.json().text("error.type")).isEqualTo("authentication_error");
        assertThat(withClientKey.header("x-claude-lb-request-id")).isNotBlank();
        assertThat(remote(host, RawHttpClient.get("/metrics", "authorization: Bearer wrong")).status).isEqualTo(401);
        RawHttpClient.Response withToken = remote(host, RawHttpClient.get("/metrics", "authorization: Bearer " + TOKEN));
        assertThat(withToken.status).isEqualTo(200);
        assertThat(withToken.bodyText()).contains("# TYPE claude_lb_requests_total counter");
        assertThat(remote(host, RawHttpClient.get("/metrics", "x-api-key: " + TOKEN)).status).isEqualTo(200);
        assertThat(remote(host, RawHttpClient.get("/metrics", "x-api-key: " + ADMIN)).status).isEqualTo(200);
        // Loopback needs nothing, and a client key's rules do not apply.
        assertThat(call(RawHttpClient.get("/metrics")).status).isEqualTo(200);
    }

    @Test
    void withoutATokenBeyondLoopbackIsForbidden() throws Exception {
        start(c -> c.adminKey(""));
        RawHttpClient.Response denied = remote(nonLoopbackAddress(), RawHttpClient.get("/metrics"));
        assertThat(denied.status).isEqualTo(403);
        assertThat(denied.json().text("error.type")).isEqualTo("permission_error");
        assertThat(call(RawHttpClient.get("/metrics")).status).isEqualTo(200);
    }

    @Test
    void disabledMetricsAreNotFound() throws InterruptedException {
        start(c -> c.metrics(new MetricsSettings(false, Secret.of(TOKEN))));
        RawHttpClient.Response r = call(RawHttpClient.get("/metrics", "authorization: Bearer " + TOKEN));
        assertThat(r.status).isEqualTo(404);
        assertThat(r.json().text("error.type")).isEqualTo("not_found_error");
        // /stats still has its windowed percentiles without a registry.
        assertThat(call(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false), "x-api-key: " + ALICE))
                .status).isEqualTo(200);
        RawHttpClient.Response stats = call(RawHttpClient.get("/stats", "x-api-key: " + ALICE));
        assertThat(stats.json().named("endpoints", "b").decimal("ttfb_p50_ms")).isPositive();
    }

    private RawHttpClient.Response call(byte[] request) {
        return RawHttpClient.exchange(proxy.port(), request);
    }

    private RawHttpClient.Response remote(String host, byte[] request) {
        try (RawHttpClient client = RawHttpClient.connect(host, proxy.port(), 0)) {
            client.send(request);
            return client.read();
        }
    }

    /** This machine's own IPv4 address beyond loopback: a connection to it is not from a loopback address. */
    private static String nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress() && !address.isLinkLocalAddress()) {
                    return address.getHostAddress();
                }
            }
        }
        throw new AssertionError("this machine has no non-loopback IPv4 address to test the loopback rule with");
    }
}
