package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failover while nothing has reached the client: upstream a (first in order) fails, b answers, the client sees
 * only b's answer. Every retryable classification row, each for a plain and a streaming request, with and without
 * retry-after; client errors pass through unchanged and uncounted.
 */
class FailoverBeforeFirstByteTest {
    private static final List<Boolean> PLAIN_AND_STREAM = List.of(false, true);
    private static Cluster cluster;

    @BeforeAll
    static void start() throws InterruptedException {
        cluster = Cluster.builder().mock("a", "b").config(c -> c
                .balancing(Cluster.IN_ORDER)
                .health(new HealthSettings(5, Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Set.of(402),
                        List.of("credit balance is too low")))
                .adminKey(Cluster.ADMIN_KEY)).start();
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    /** Healthy mocks with no recorded requests, breakers closed and cooldowns cleared; counters stay. */
    private static void fresh() {
        cluster.heal("a");
        cluster.heal("b");
        cluster.mock("a").clearRequests();
        cluster.mock("b").clearRequests();
        assertThat(cluster.post("/reset", "x-api-key: " + Cluster.ADMIN_KEY).status).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0} ({1}) retry-after={2}")
    @CsvSource(nullValues = "none", value = {
        "500,http_500,none", "502,http_502,none", "503,http_503,none", "529,http_529,none", "429,http_429,none",
        "408,http_408,none", "504,http_504,none", "401,upstream_auth,none", "403,upstream_auth,none",
        "402,configured_status,none",
        // With retry-after: a cooldown for 429 and 529, nothing more for the others.
        "429,http_429,7", "529,http_529,7", "500,http_500,7", "503,http_503,7"})
    void aRetryableStatusFailsOverToTheNextUpstream(int status, String kind, String retryAfter) {
        for (boolean stream : PLAIN_AND_STREAM) {
            fresh();
            cluster.behave("a", MockBehaviour.builder().errorStatus(status).retryAfter(retryAfter).build());
            long before = errors("a", kind);

            RawHttpClient.Response response = cluster.messages(Cluster.body(stream));

            assertThat(response.status).as("stream=%s %s", stream, response).isEqualTo(200);
            assertThat(response.upstream()).isEqualTo("b");
            assertThat(response.header("x-mock-upstream")).isEqualTo("b");
            assertThat(response.header("retry-after")).isNull();
            if (stream) {
                assertThat(response.header("content-type")).startsWith("text/event-stream");
                assertThat(response.events()).extracting(Sse.Event::event)
                        .startsWith("message_start").endsWith("message_stop").doesNotContain("error");
            } else {
                assertThat(response.json().text("type")).isEqualTo("message");
            }
            assertThat(cluster.requests("a")).isEqualTo(1);
            assertThat(cluster.requests("b")).isEqualTo(1);
            assertThat(errors("a", kind)).isEqualTo(before + 1);
            Json a = cluster.stats("a");
            assertThat(a.number("consecutive_failures")).isEqualTo(1);
            boolean cooldown = retryAfter != null && (status == 429 || status == 529);
            assertThat(a.decimal("cooldown_seconds")).isEqualTo(cooldown ? 7.0 : 0.0);
            assertThat(cluster.stats("b").number("total_errors")).isZero();
        }
    }

    @Test
    void anErrorBodyMatchingAConfiguredPatternFailsOver() {
        for (boolean stream : PLAIN_AND_STREAM) {
            fresh();
            // An injected error status gets the mock's stock body, so the 400 comes as a fixed body instead.
            cluster.behave("a", MockBehaviour.builder().status(400)
                    .fixedBody("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                            + "\"message\":\"Your credit balance is too low\"}}").build());
            long before = errors("a", "body_pattern");

            RawHttpClient.Response response = cluster.messages(Cluster.body(stream));

            assertThat(response.status).isEqualTo(200);
            assertThat(response.upstream()).isEqualTo("b");
            assertThat(errors("a", "body_pattern")).isEqualTo(before + 1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"400,invalid_request_error", "404,not_found_error", "413,request_too_large",
        "422,invalid_request_error"})
    void aClientErrorComesBackUnchangedWithoutFailoverOrCount(int status, String type) {
        for (boolean stream : PLAIN_AND_STREAM) {
            fresh();
            cluster.behave("a", MockBehaviour.builder().errorStatus(status).retryAfter("3").build());
            long errorsBefore = cluster.stats("a").number("total_errors");

            RawHttpClient.Response response = cluster.messages(Cluster.body(stream));

            assertThat(response.status).isEqualTo(status);
            assertThat(response.upstream()).isEqualTo("a");
            assertThat(response.header("x-mock-upstream")).isEqualTo("a");
            assertThat(response.header("request-id")).startsWith("req_mock_");
            assertThat(response.header("retry-after")).isEqualTo("3");
            assertThat(response.json().text("type")).isEqualTo("error");
            assertThat(response.json().text("error.type")).isEqualTo(type);
            assertThat(cluster.requests("b")).isZero();
            Json a = cluster.stats("a");
            assertThat(a.number("total_errors")).isEqualTo(errorsBefore);
            assertThat(a.number("consecutive_failures")).isZero();
            assertThat(a.decimal("cooldown_seconds")).isZero();
        }
    }

    @Test
    void aResetBeforeHeadersFailsOver() {
        for (boolean stream : PLAIN_AND_STREAM) {
            fresh();
            cluster.behave("a", MockBehaviour.builder().resetBeforeHeaders(true).build());
            long before = errors("a", "reset_before_headers");

            RawHttpClient.Response response = cluster.messages(Cluster.body(stream));

            assertThat(response.status).isEqualTo(200);
            assertThat(response.upstream()).isEqualTo("b");
            assertThat(cluster.requests("a")).isEqualTo(1);
            assertThat(errors("a", "reset_before_headers")).isEqualTo(before + 1);
        }
    }

    @Test
    void aHealthyFirstUpstreamIsUsedWithoutTouchingTheNext() {
        fresh();
        RawHttpClient.Response response = cluster.messages(Cluster.body(true));

        assertThat(response.status).isEqualTo(200);
        assertThat(response.upstream()).isEqualTo("a");
        assertThat(cluster.requests("b")).isZero();
    }

    @Test
    void aRefusedConnectionFailsOver() throws InterruptedException {
        try (Cluster withDead = Cluster.builder().dead("dead").mock("b").config(c -> c.balancing(Cluster.IN_ORDER))
                .start()) {
            for (boolean stream : PLAIN_AND_STREAM) {
                RawHttpClient.Response response = withDead.messages(Cluster.body(stream));

                assertThat(response.status).isEqualTo(200);
                assertThat(response.upstream()).isEqualTo("b");
            }
            Json dead = withDead.stats("dead");
            assertThat(dead.number("errors_by_kind.connect_refused")).isEqualTo(2);
            assertThat(dead.number("total_requests")).isEqualTo(2);
            assertThat(withDead.stats("b").number("successes")).isEqualTo(2);
        }
    }

    @Test
    void anUpstreamSilentPastFirstByteTimesOutAndFailsOver() throws InterruptedException {
        try (Cluster slow = Cluster.builder().mock("a", "b")
                .timeouts(new TimeoutSettings(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(10)))
                .config(c -> c.balancing(Cluster.IN_ORDER))
                .start()) {
            slow.behave("a", MockBehaviour.builder().timeToFirstByte(Duration.ofSeconds(5)).build());
            for (boolean stream : PLAIN_AND_STREAM) {
                RawHttpClient.Response response = slow.messages(Cluster.body(stream));

                assertThat(response.status).isEqualTo(200);
                assertThat(response.upstream()).isEqualTo("b");
            }
            assertThat(slow.stats("a").number("errors_by_kind.read_timeout")).isEqualTo(2);
            assertThat(slow.stats("a").number("active_requests")).isZero();
        }
    }

    private static long errors(String upstream, String kind) {
        Json byKind = cluster.stats(upstream).tree("errors_by_kind");
        return byKind.has(kind) ? byKind.number(kind) : 0;
    }
}
