package io.claudelb.server.coalesce;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DedupSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * In-flight coalescing end to end, over loopback against the mock: identical requests make one upstream call and
 * every caller gets every byte (live, or replayed from the first byte when it joins late), on the proxy's two event
 * loops; a JSON caller of a streaming call gets the assembled message; failures reach every caller; a caller who
 * leaves costs nothing, and its retry within {@code dedup.linger} attaches instead of paying again.
 */
class CoalescingTest {
    private static final String MODEL = "claude-sonnet-4-5";
    /** A stream long enough (40 events 25 ms apart) that identical requests arrive while it runs. */
    private static final MockBehaviour PACED = MockBehaviour.builder().textEvents(40)
            .pace(Duration.ofMillis(25)).build();

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().behaviour(PACED).build(),
            url -> TestConfigs.proxy().ioThreads(2).anthropic("up", url)
                    .dedup(DedupSettings.DEFAULTS));

    private final ExecutorService clients = Executors.newCachedThreadPool();
    private final List<ExchangeEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void observe() {
        servers.proxy().gateway().exchangeServices().observers().add(e -> {
            if (e.path().startsWith("/v1/messages")) {
                events.add(e);
            }
        });
    }

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    private MockUpstream mock() {
        return servers.mock();
    }

    private CompletableFuture<Response> send(String body, String... headers) {
        return CompletableFuture.supplyAsync(() -> RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", body, headers)), clients);
    }

    private Json coalescingStats() {
        Response stats = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.get("/stats"));
        return stats.json().tree("coalescing");
    }

    private static String body(boolean stream) {
        return Requests.messages(MODEL, stream);
    }

    @Test
    void fiftyIdenticalStreamsMakeOneUpstreamCallAndGetTheSameBytes() {
        List<CompletableFuture<Response>> pending = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pending.add(send(body(true)));
        }
        List<Response> answers = pending.stream().map(CompletableFuture::join).toList();

        assertThat(mock().requests()).as("one upstream call for all fifty").hasSize(1);
        byte[] first = answers.get(0).bodyBytes();
        assertThat(Sse.names(new String(first, StandardCharsets.UTF_8))).last().isEqualTo("message_stop");
        for (Response r : answers) {
            assertThat(r.status).isEqualTo(200);
            assertThat(r.complete).isTrue();
            assertThat(r.bodyBytes()).isEqualTo(first);
        }
        assertThat(answers).extracting(r -> r.header("x-claude-lb-coalesced"))
                .containsOnlyOnce("leader").filteredOn("follower"::equals).hasSize(49);
        assertThat(answers).extracting(r -> r.header("x-claude-lb-request-id")).doesNotHaveDuplicates();
        // The roles are counted from each request's event, which comes when its exchange ends (a moment after its
        // client has the last byte); the stats observer is registered before this test's.
        Await.until(() -> "every caller's event (got " + events.size() + ": " + events.stream()
                .map(e -> e.role() + "/" + e.outcome()).toList() + ")", () -> events.size() == 50,
                Duration.ofSeconds(5));
        Json stats = coalescingStats();
        assertThat(stats.number("leaders")).isEqualTo(1);
        assertThat(stats.number("followers")).isEqualTo(49);
        assertThat(stats.number("upstream_calls_saved")).isEqualTo(49);
        assertThat(stats.number("bytes_fanned_out")).isEqualTo(49L * first.length);
        assertThat(events).extracting(ExchangeEvent::role).containsOnlyOnce(CoalescingRole.LEADER);
        assertThat(events).allSatisfy(e -> assertThat(e.upstream()).isEqualTo("up"));
        assertThat(events).allSatisfy(e -> assertThat(e.usage()).isNotNull());
    }

    @Test
    void aFollowerJoiningMidStreamGetsTheWholeStreamFromTheFirstByte() throws Exception {
        try (RawHttpClient leader = RawHttpClient.connect(servers.proxy().port())) {
            leader.send(RawHttpClient.post("/v1/messages", body(true)));
            Response led = leader.readHead();
            leader.readUntil(led, "\"text_delta\"");
            Response followed = send(body(true)).join();
            while (leader.readChunk(led) != null) {
                // the rest of the leader's stream
            }
            assertThat(followed.header("x-claude-lb-coalesced")).isEqualTo("follower");
            assertThat(followed.bodyBytes()).isEqualTo(led.bodyBytes());
        }
        assertThat(mock().requests()).hasSize(1);
    }

    @Test
    void theLeadersClientLeavingDoesNotStopTheStreamItsFollowerListensTo() throws Exception {
        try (RawHttpClient follower = RawHttpClient.connect(servers.proxy().port())) {
            Response followed;
            try (RawHttpClient leader = RawHttpClient.connect(servers.proxy().port())) {
                leader.send(RawHttpClient.post("/v1/messages", body(true)));
                Response led = leader.readHead();
                leader.readUntil(led, "\"text_delta\"");
                follower.send(RawHttpClient.post("/v1/messages", body(true)));
                // The call has begun its answer, so a follower gets its head as soon as it has joined.
                followed = follower.readHead();
                assertThat(followed.header("x-claude-lb-coalesced")).isEqualTo("follower");
            }
            while (follower.readChunk(followed) != null) {
                // the rest of the stream, after the leader's client left
            }
            assertFollowerGotTheWholeStream(followed);
        }
    }

    private void assertFollowerGotTheWholeStream(Response followed) {
        assertThat(followed.complete).isTrue();
        assertThat(Sse.names(followed.bodyText())).last().isEqualTo("message_stop");
        byte[] direct = RawHttpClient.exchange(mock().port(), RawHttpClient.post("/v1/messages", body(true)))
                .bodyBytes();
        assertThat(followed.bodyBytes()).isEqualTo(direct);
        assertThat(mock().requests()).as("one call through the proxy, one direct").hasSize(2);
    }

    @Test
    void aRetryWithinTheLingerAttachesToTheAbandonedCall() throws Exception {
        try (RawHttpClient gone = RawHttpClient.connect(servers.proxy().port())) {
            gone.send(RawHttpClient.post("/v1/messages", body(true)));
            gone.readUntil(gone.readHead(), "\"text_delta\"");
        }
        // Claude Code's retry of a dropped connection, a moment later.
        Response retry = send(body(true)).join();

        assertThat(retry.complete).isTrue();
        assertThat(Sse.names(retry.bodyText())).first().isEqualTo("message_start");
        assertThat(Sse.names(retry.bodyText())).last().isEqualTo("message_stop");
        assertThat(mock().requests()).as("the retry paid nothing").hasSize(1);
        assertThat(coalescingStats().number("linger_hits")).isEqualTo(1);
    }

    @Test
    void theNonStreamingFallbackOfAStreamGetsTheMessageAssembledFromIt() {
        CompletableFuture<Response> stream = send(body(true));
        Await.until("the stream is in flight", () -> mock().requests().size() == 1, Duration.ofSeconds(5));
        Response json = send(body(false)).join();
        stream.join();

        assertThat(json.status).isEqualTo(200);
        assertThat(json.header("content-type")).startsWith("application/json");
        assertThat(json.header("x-claude-lb-coalesced")).isEqualTo("follower");
        // The mock answers the same message streamed or not; its id and prompt size follow the request's bytes.
        Json direct = RawHttpClient.exchange(mock().port(), RawHttpClient.post("/v1/messages", body(false))).json();
        Json assembled = json.json();
        assertThat(assembled.tree("content")).isEqualTo(direct.tree("content"));
        assertThat(assembled.text("stop_reason")).isEqualTo(direct.text("stop_reason"));
        assertThat(assembled.number("usage.output_tokens")).isEqualTo(direct.number("usage.output_tokens"));
        String streamedStart = Sse.parse(stream.join().bodyText()).get(0).data();
        assertThat(streamedStart).contains("\"id\":\"" + assembled.text("id") + "\"");
        assertThat(mock().requests()).as("one call through the proxy, one direct").hasSize(2);
    }

    @Test
    void aStreamingRequestNeverWaitsBehindANonStreamingOne() {
        CompletableFuture<Response> json = send(body(false));
        Await.until("the JSON call is in flight", () -> mock().requests().size() == 1, Duration.ofSeconds(5));
        Response stream = send(body(true)).join();
        json.join();
        assertThat(stream.header("x-claude-lb-coalesced")).isEqualTo("leader");
        assertThat(mock().requests()).hasSize(2);
    }

    @Test
    void aFailureMidStreamEndsEveryCallersStreamWithTheSameErrorEvent() {
        mock().setBehaviour(PACED.toBuilder().resetAfterEvents(8).build());
        List<CompletableFuture<Response>> pending = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pending.add(send(body(true)));
        }
        List<Response> answers = pending.stream().map(CompletableFuture::join).toList();
        assertThat(mock().requests()).hasSize(1);
        for (Response r : answers) {
            assertThat(r.complete).isTrue();
            List<Sse.Event> parsed = r.events();
            assertThat(parsed.get(parsed.size() - 1).event()).isEqualTo("error");
            assertThat(r.bodyBytes()).isEqualTo(answers.get(0).bodyBytes());
        }
    }

    @Test
    void whenEveryAttemptFailsEveryCallerGetsTheSameAnswer() {
        mock().setBehaviour(MockBehaviour.builder().timeToFirstByte(Duration.ofMillis(400))
                .errorStatus(529).build());
        List<CompletableFuture<Response>> pending = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pending.add(send(body(true)));
        }
        List<Response> answers = pending.stream().map(CompletableFuture::join).toList();
        assertThat(mock().requests()).hasSize(1);
        for (Response r : answers) {
            assertThat(r.status).isEqualTo(529);
            assertThat(r.json().text("error.type")).isEqualTo("overloaded_error");
            assertThat(r.bodyBytes()).isEqualTo(answers.get(0).bodyBytes());
        }
        // A failed answer is never kept: the next identical request tries again.
        send(body(true)).join();
        assertThat(mock().requests()).hasSize(2);
    }

    @Test
    void callersWhoAskForIndependentSamplesGetTheirOwnCalls() {
        CompletableFuture<Response> a = send(body(true), "x-claude-lb-dedup: off");
        CompletableFuture<Response> b = send(body(true), "x-claude-lb-dedup: off");
        assertThat(a.join().header("x-claude-lb-coalesced")).isNull();
        b.join();
        assertThat(mock().requests()).hasSize(2);
    }

    @Test
    void aDifferentBodyOrHeaderIsADifferentRequest() {
        CompletableFuture<Response> a = send(body(true));
        CompletableFuture<Response> b = send(body(true).replace("256", "257"));
        CompletableFuture<Response> c = send(body(true), "anthropic-beta: context-1m-2025-08-07");
        a.join();
        b.join();
        c.join();
        assertThat(mock().requests()).hasSize(3);
    }

    @Test
    void tokenCountsCoalesceToo() {
        mock().setBehaviour(MockBehaviour.builder().timeToFirstByte(Duration.ofMillis(300)).build());
        List<CompletableFuture<Response>> pending = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            pending.add(CompletableFuture.supplyAsync(() -> RawHttpClient.exchange(servers.proxy().port(),
                    RawHttpClient.post("/v1/messages/count_tokens", "{\"model\":\"" + MODEL
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")), clients));
        }
        List<Response> answers = pending.stream().map(CompletableFuture::join).toList();
        assertThat(answers).allSatisfy(r -> assertThat(r.json().number("input_tokens")).isPositive());
        assertThat(mock().requests()).hasSize(1);
    }
}
