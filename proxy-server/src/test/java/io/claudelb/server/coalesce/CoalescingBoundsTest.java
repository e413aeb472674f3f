package io.claudelb.server.coalesce;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DedupSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Coalescing's bounds: never across principals; a caller that falls behind is dropped without slowing the others;
 * an abandoned call lingers only so long; kept answers (replay_ttl) expire and are bounded per answer.
 */
class CoalescingBoundsTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final MockBehaviour PACED = MockBehaviour.builder().textEvents(40)
            .pace(Duration.ofMillis(25)).build();

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final FakeClock clock = new FakeClock();
    private MockUpstream mock;
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        clients.shutdownNow();
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(2));
        }
        if (mock != null) {
            mock.close();
        }
    }

    private void start(MockBehaviour behaviour, DedupSettings dedup, UnaryOperator<TestConfigs> more,
                       NanoClock proxyClock) throws InterruptedException {
        mock = MockUpstream.start(MockOptions.builder().behaviour(behaviour).build());
        proxy = ProxyServer.start(more.apply(TestConfigs.proxy().ioThreads(2).anthropic("up", mock.baseUrl())
                .dedup(dedup)).build(), proxyClock, "test");
    }

    private CompletableFuture<Response> send(String body, String... headers) {
        return CompletableFuture.supplyAsync(() -> RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/v1/messages", body, headers)), clients);
    }

    private Json stats() {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats", "x-api-key: key-alice")).json()
                .tree("coalescing");
    }

    @Test
    void twoPrincipalsSendingTheSameBytesGetTwoUpstreamCalls() throws InterruptedException {
        start(PACED, DedupSettings.DEFAULTS, c -> c.client("alice", "key-alice").client("bob", "key-bob"),
                NanoClock.SYSTEM);
        String body = Requests.messages(MODEL, true);
        CompletableFuture<Response> alice1 = send(body, "x-api-key: key-alice");
        CompletableFuture<Response> alice2 = send(body, "x-api-key: key-alice");
        CompletableFuture<Response> bob = send(body, "x-api-key: key-bob");
        alice1.join();
        alice2.join();
        bob.join();
        assertThat(mock.requests()).as("alice's two share a call, bob's is his own").hasSize(2);
    }

    @Test
    void aFollowerThatFallsBehindIsDroppedWhileTheFastOnesComplete() throws Exception {
        int textBytes = 8 * 1024 * 1024;
        start(MockBehaviour.builder().textEvents(2_048).textBytes(textBytes).pace(Duration.ofMillis(1)).build(),
                DedupSettings.DEFAULTS.withLimits(256 * 1024, 256 * 1024 * 4), c -> c, NanoClock.SYSTEM);
        byte[] request = RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true));
        try (RawHttpClient slow = RawHttpClient.connect(proxy.port(), 16 * 1024)) {
            CompletableFuture<Response> fast = send(Requests.messages(MODEL, true));
            Await.until("the stream is in flight", () -> mock.requests().size() == 1, Duration.ofSeconds(5));
            slow.send(request);
            Response full = fast.join();
            assertThat(Sse.names(full.bodyText())).last().isEqualTo("message_stop");
            assertThat(full.bodyBytes().length).isGreaterThan(textBytes);
            // The slow one, read only now: its stream ends with one error event, not with message_stop.
            Response cut = slow.read();
            assertThat(cut.complete).isTrue();
            assertThat(Sse.names(cut.bodyText())).last().isEqualTo("error");
            assertThat(cut.bodyText()).contains("fell too far behind");
        }
        assertThat(mock.requests()).hasSize(1);
        assertThat(stats().number("followers_dropped")).isEqualTo(1);
    }

    @Test
    void anAbandonedCallIsClosedAfterTheLingerAndTheNextRequestPaysAgain() throws Exception {
        start(PACED.toBuilder().textEvents(400).build(), DedupSettings.DEFAULTS.withLinger(Duration.ofMillis(100)),
                c -> c, NanoClock.SYSTEM);
        try (RawHttpClient gone = RawHttpClient.connect(proxy.port())) {
            gone.send(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true)));
            gone.readUntil(gone.readHead(), "\"text_delta\"");
        }
        Await.until("the upstream call is closed after the linger", () -> proxy.openBackendConnections() == 0,
                Duration.ofSeconds(5));
        Json up = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats")).json().named("endpoints", "up");
        assertThat(up.number("total_errors")).as("closing an abandoned call is no upstream failure").isZero();
        send(Requests.messages(MODEL, true)).join();
        assertThat(mock.requests()).hasSize(2);
        assertThat(stats().number("linger_hits")).isZero();
    }

    @Test
    void aKeptAnswerIsReplayedUntilItsTimeToLiveEnds() throws InterruptedException {
        start(MockBehaviour.defaults(), DedupSettings.DEFAULTS.withReplayTtl(Duration.ofMinutes(5)), c -> c, clock);
        Response first = send(Requests.messages(MODEL, true)).join();
        Response replayed = send(Requests.messages(MODEL, true)).join();
        Response asJson = send(Requests.messages(MODEL, false)).join();
        assertThat(replayed.header("x-claude-lb-coalesced")).isEqualTo("replay");
        assertThat(replayed.bodyBytes()).isEqualTo(first.bodyBytes());
        assertThat(asJson.header("x-claude-lb-coalesced")).isEqualTo("replay");
        assertThat(asJson.json().text("type")).isEqualTo("message");
        assertThat(mock.requests()).hasSize(1);
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        send(Requests.messages(MODEL, true)).join();
        assertThat(mock.requests()).as("expired: asked again").hasSize(2);
        // Counted from each request's event, which follows its last byte by a moment.
        Await.until("both replays counted", () -> stats().number("replays") == 2, Duration.ofSeconds(5));
    }

    @Test
    void anAnswerLargerThanTheReplayCapIsNeverKept() throws InterruptedException {
        start(MockBehaviour.builder().textBytes(64 * 1024).build(), DedupSettings.DEFAULTS
                .withReplayTtl(Duration.ofMinutes(5)).withLimits(16 * 1024, 1024 * 1024), c -> c, clock);
        send(Requests.messages(MODEL, true)).join();
        Response again = send(Requests.messages(MODEL, true)).join();
        assertThat(again.header("x-claude-lb-coalesced")).isEqualTo("leader");
        assertThat(mock.requests()).hasSize(2);
    }

    @Test
    void anErrorIsNeverKeptForReplay() throws InterruptedException {
        start(MockBehaviour.builder().errorStatus(400).build(), DedupSettings.DEFAULTS
                .withReplayTtl(Duration.ofMinutes(5)), c -> c, clock);
        assertThat(send(Requests.messages(MODEL, true)).join().status).isEqualTo(400);
        assertThat(send(Requests.messages(MODEL, true)).join().status).isEqualTo(400);
        assertThat(mock.requests()).hasSize(2);
    }
}
