package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RetrySettings;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Streams: an in-band {@code event: error} inside the peek window fails over (or, with nowhere to go, becomes the
 * all-failed answer); a failure after bytes reached the client ends the stream with exactly one {@code event: error}
 * and counts as MID_STREAM; a client that goes away mid-stream is never the upstream's fault.
 */
class StreamFailuresTest {
    private Cluster cluster;

    @BeforeEach
    void start() throws InterruptedException {
        cluster = Cluster.builder().mock("a", "b").config(c -> c
                .balancing(Cluster.IN_ORDER)
                .health(Cluster.health(3))).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void anInBandErrorInThePeekWindowFailsOverAndTheClientSeesOnlyTheNextStream() {
        cluster.behave("a", MockBehaviour.builder().inBandError(true).build());

        RawHttpClient.Response response = cluster.messages(Cluster.body(true));

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).isTrue();
        assertThat(response.upstream()).isEqualTo("b");
        assertThat(response.header("x-mock-upstream")).isEqualTo("b");
        List<Sse.Event> events = response.events();
        assertThat(events).extracting(Sse.Event::event)
                .containsOnlyOnce("message_start").endsWith("message_stop").doesNotContain("error");
        assertThat(cluster.requests("a")).isEqualTo(1);
        assertThat(cluster.stats("a").number("errors_by_kind.in_band_error")).isEqualTo(1);
        assertThat(cluster.stats("b").number("total_errors")).isZero();
    }

    @Test
    void anInBandErrorWithNowhereElseToGoIsTheAllFailedOverloadAnswer() throws InterruptedException {
        try (Cluster single = Cluster.builder().mock("only").start()) {
            single.behave("only", MockBehaviour.builder().inBandError(true).build());

            RawHttpClient.Response response = single.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(529);
            assertThat(response.header("content-type")).isEqualTo("application/json");
            assertThat(response.json().text("type")).isEqualTo("error");
            assertThat(response.json().text("error.type")).isEqualTo("overloaded_error");
            assertThat(response.bodyText()).doesNotContain("127.0.0.1").doesNotContain("http://");
            assertThat(response.header("retry-after")).isEqualTo("1");
            // One attempt: Claude Code may retry on its own, so no x-should-retry: false.
            assertThat(response.header("x-should-retry")).isNull();
            assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
            assertThat(single.stats("only").number("errors_by_kind.in_band_error")).isEqualTo(1);
        }
    }

    @Test
    void aFailureAfterTheFirstByteEndsTheStreamWithOneErrorEvent() {
        // The mock resets after its third event (message_start, content_block_start, ping): past the peek.
        cluster.behave("a", MockBehaviour.builder().resetAfterEvents(3).build());

        RawHttpClient.Response response = cluster.messages(Cluster.body(true));

        assertThat(response.status).isEqualTo(200);
        assertThat(response.upstream()).isEqualTo("a");
        // The terminating chunk arrived: the response is complete as HTTP, incomplete as a message.
        assertThat(response.complete).isTrue();
        List<Sse.Event> events = response.events();
        assertThat(events).extracting(Sse.Event::event)
                .containsExactly("message_start", "content_block_start", "ping", "error");
        Sse.Event error = events.get(events.size() - 1);
        Json data = Json.parse(error.data());
        assertThat(data.text("type")).isEqualTo("error");
        assertThat(data.text("error.type")).isEqualTo("api_error");
        assertThat(data.text("error.message")).doesNotContain("127.0.0.1");
        assertThat(response.bodyText()).endsWith("event: error\ndata: " + error.data() + "\n\n");
        assertThat(cluster.requests("b")).isZero();
        cluster.awaitIdle("a");
        Json a = cluster.stats("a");
        assertThat(a.number("errors_by_kind.mid_stream")).isEqualTo(1);
        assertThat(a.number("total_errors")).isEqualTo(1);
        assertThat(a.number("consecutive_failures")).isEqualTo(1);
    }

    static Stream<Arguments> cuts() {
        return Stream.of(
                // Inside a data line: the line cannot be taken back, but the event becomes ours (name "error").
                Arguments.of("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"ind", false),
                Arguments.of("event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"i", false),
                // After a complete line of an unfinished event: that event goes out whole, then ours.
                Arguments.of("event: content_block_delta\n", true),
                Arguments.of("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n", true),
                Arguments.of("event: content_block_stop\r\ndata: {\"type\":\"content_block_stop\",\"index\":0}\r\n",
                        true),
                Arguments.of("event: content_block_stop\rdata: {\"type\":\"content_block_stop\",\"index\":0}\r", true),
                // At an event boundary: nothing to close.
                Arguments.of("event: ping\ndata: {\"type\":\"ping\"}\n\n", true),
                Arguments.of("event: ping\r\ndata: {\"type\":\"ping\"}\r\n\r\n", true),
                Arguments.of("", true));
    }

    @ParameterizedTest
    @MethodSource("cuts")
    void aResetInsideAnEventStillEndsTheStreamWithAnErrorEvent(String cut, boolean cleanData)
            throws IOException, InterruptedException {
        String messageStart = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
                + "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\"}}\n\n";
        String blockStart = "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
                + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";
        try (ScriptedUpstream upstream = ScriptedUpstream.resettingAfter("HTTP/1.1 200 OK\r\n"
                + "content-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
                + ScriptedUpstream.chunk(messageStart) + ScriptedUpstream.chunk(blockStart)
                + (cut.isEmpty() ? "" : ScriptedUpstream.chunk(cut)));
             Cluster single = Cluster.builder().external("cut", upstream.baseUrl()).start()) {

            RawHttpClient.Response response = single.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(200);
            assertThat(response.complete).isTrue();
            assertThat(response.bodyText()).startsWith(messageStart + blockStart + cut).endsWith("\n\n");
            List<Sse.Event> events = response.events();
            assertThat(events).extracting(Sse.Event::event).containsOnlyOnce("error")
                    .startsWith("message_start", "content_block_start").endsWith("error");
            // Every event but ours is one the upstream sent whole.
            assertThat(events.subList(0, events.size() - 1))
                    .allSatisfy(e -> assertThat(Json.parse(e.data()).text("type")).isEqualTo(e.event()));
            String data = events.get(events.size() - 1).data();
            String ours = cleanData ? data : data.substring(data.lastIndexOf('\n') + 1);
            assertThat(Json.parse(ours).text("error.type")).isEqualTo("api_error");
            single.awaitIdle("cut");
            assertThat(single.stats("cut").number("errors_by_kind.mid_stream")).isEqualTo(1);
        }
    }

    @Test
    void aStreamThatStallsPastTheIdleTimeoutEndsWithAnErrorEvent() throws IOException, InterruptedException {
        // The peek gives up after 100 ms (the first event is held, nothing real follows), so the stream is
        // committed; the idle timer then measures quiet on the fake clock, which the test moves past idle.
        try (Cluster stalling = Cluster.builder().mock("a", "b")
                .timeouts(new TimeoutSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMillis(200)))
                .config(c -> c
                        .balancing(Cluster.IN_ORDER)
                        .retry(new RetrySettings(3, 16 * 1024, Duration.ofMillis(100))))
                .start();
             RawHttpClient client = stalling.client()) {
            stalling.behave("a", MockBehaviour.builder().pace(Duration.ofSeconds(30)).build());
            client.send(RawHttpClient.post("/v1/messages", Cluster.body(true)));

            RawHttpClient.Response head = client.readHead();
            assertThat(head.status).isEqualTo(200);
            assertThat(new String(client.readChunk(head), StandardCharsets.UTF_8)).startsWith("event: message_start");
            stalling.clock.advance(Duration.ofSeconds(1));
            StringBuilder rest = new StringBuilder();
            byte[] chunk;
            while ((chunk = client.readChunk(head)) != null) {
                rest.append(new String(chunk, StandardCharsets.UTF_8));
            }

            List<Sse.Event> events = Sse.parse(rest.toString());
            assertThat(events).extracting(Sse.Event::event).containsExactly("error");
            assertThat(Json.parse(events.get(0).data()).text("error.type")).isEqualTo("api_error");
            stalling.awaitIdle("a");
            assertThat(stalling.stats("a").number("errors_by_kind.mid_stream")).isEqualTo(1);
            assertThat(stalling.requests("b")).isZero();
        }
    }

    @Test
    void aFailureInsideAPlainBodyClosesTheClientConnection() {
        cluster.behave("a", MockBehaviour.builder().resetAfterEvents(1).build());

        RawHttpClient.Response response;
        try (RawHttpClient client = cluster.client()) {
            client.send(RawHttpClient.post("/v1/messages", Cluster.body(false)));
            response = client.readUntilFailure();
        }

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).isFalse();
        assertThat(response.failure).isNotNull();
        assertThat(cluster.requests("b")).isZero();
        cluster.awaitIdle("a");
        assertThat(cluster.stats("a").number("errors_by_kind.mid_stream")).isEqualTo(1);
    }

    @Test
    void clientsThatGoAwayMidStreamAreNeverCountedAgainstTheUpstream() throws IOException {
        // Slow streams, so every client leaves while its stream is running; more of them than failure_threshold.
        cluster.behave("a", MockBehaviour.builder().pace(Duration.ofMillis(20)).textEvents(100).build());
        for (int i = 0; i < 6; i++) {
            try (RawHttpClient client = cluster.client()) {
                client.send(RawHttpClient.post("/v1/messages", Cluster.body(true)));
                RawHttpClient.Response head = client.readHead();
                assertThat(head.status).isEqualTo(200);
                assertThat(head.upstream()).isEqualTo("a");
                assertThat(new String(client.readChunk(head), StandardCharsets.UTF_8))
                        .startsWith("event: message_start");
            }
            cluster.awaitIdle("a");
        }
        // And clients that leave before the head arrives.
        cluster.behave("a", MockBehaviour.builder().timeToFirstByte(Duration.ofMillis(200)).build());
        for (int i = 0; i < 4; i++) {
            try (RawHttpClient client = cluster.client()) {
                client.send(RawHttpClient.post("/v1/messages", Cluster.body(true)));
            }
            cluster.awaitIdle("a");
        }

        Json a = cluster.stats("a");
        assertThat(a.number("total_requests")).isEqualTo(10);
        assertThat(a.number("total_errors")).isZero();
        assertThat(a.tree("errors_by_kind").value()).isEqualTo(java.util.Map.of());
        assertThat(a.number("consecutive_failures")).isZero();
        assertThat(a.text("breaker_state")).isEqualTo("closed");
        assertThat(a.bool("circuit_open")).isFalse();
        cluster.heal("a");
        RawHttpClient.Response next = cluster.messages(Cluster.body(true));
        assertThat(next.upstream()).isEqualTo("a");
        assertThat(cluster.requests("b")).isZero();
    }
}
