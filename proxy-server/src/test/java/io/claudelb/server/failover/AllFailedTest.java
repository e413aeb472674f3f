package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RetrySettings;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When no candidate can answer: the proxy's own 503 (529 when every failure was an overload) naming no upstream
 * address, {@code retry-after} = the soonest recovery, {@code x-should-retry: false} once several candidates were
 * tried; {@code max_attempts} bounds the attempts and no upstream is tried twice in one exchange.
 */
class AllFailedTest {

    private static Cluster start(int failureThreshold, int maxAttempts, String... mocks) throws InterruptedException {
        return Cluster.builder().mock(mocks).config(c -> c
                .balancing(Cluster.IN_ORDER)
                .health(Cluster.health(failureThreshold))
                .retry(new RetrySettings(maxAttempts, 16 * 1024, Duration.ofSeconds(10)))).start();
    }

    @Test
    void everyCandidateFailingGivesA503ThatNamesNoUpstream() throws InterruptedException {
        try (Cluster cluster = start(5, 3, "a", "b")) {
            cluster.failWith("a", 503);
            cluster.failWith("b", 502);

            RawHttpClient.Response response = cluster.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("type")).isEqualTo("error");
            assertThat(response.json().text("error.type")).isEqualTo("api_error");
            String message = response.json().text("error.message");
            assertThat(message).contains(Cluster.MODEL).contains("2 upstream attempt(s)");
            assertThat(response.bodyText()).doesNotContain("127.0.0.1").doesNotContain("http://")
                    .doesNotContain(String.valueOf(cluster.mock("a").port()))
                    .doesNotContain(String.valueOf(cluster.mock("b").port()));
            assertThat(response.header("x-should-retry")).isEqualTo("false");
            // Both breakers are still closed: recovery is "now", reported as the minimum of one second.
            assertThat(response.header("retry-after")).isEqualTo("1");
            assertThat(response.upstream()).isNull();
            assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
            assertThat(cluster.requests("a")).isEqualTo(1);
            assertThat(cluster.requests("b")).isEqualTo(1);
        }
    }

    @Test
    void everyFailureAnOverloadGivesA529() throws InterruptedException {
        try (Cluster cluster = start(5, 3, "a", "b")) {
            cluster.failWith("a", 529);
            cluster.behave("b", MockBehaviour.builder().inBandError(true).build());

            RawHttpClient.Response response = cluster.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(529);
            assertThat(response.json().text("error.type")).isEqualTo("overloaded_error");
            assertThat(response.header("x-should-retry")).isEqualTo("false");
        }
    }

    @Test
    void oneFailureThatIsNoOverloadMakesIt503() throws InterruptedException {
        try (Cluster cluster = start(5, 3, "a", "b")) {
            cluster.failWith("a", 529);
            cluster.failWith("b", 500);

            RawHttpClient.Response response = cluster.messages(Cluster.body(false));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("error.type")).isEqualTo("api_error");
        }
    }

    /** Response timeout 300 ms; the hung mocks would answer after 5 s. */
    private static Cluster startWithShortResponseTimeout(String... mocks) throws InterruptedException {
        return Cluster.builder().mock(mocks)
                .timeouts(new TimeoutSettings(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(10)))
                .config(c -> c.balancing(Cluster.IN_ORDER).health(Cluster.health(5))).start();
    }

    @Test
    void aHungUpstreamIsA504TimeoutError() throws InterruptedException {
        try (Cluster cluster = startWithShortResponseTimeout("a")) {
            cluster.behave("a", MockBehaviour.builder().timeToFirstByte(Duration.ofSeconds(5)).build());

            RawHttpClient.Response response = cluster.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(504);
            assertThat(response.json().text("error.type")).isEqualTo("timeout_error");
            assertThat(response.json().text("error.message")).contains("did not answer in time")
                    .contains("read_timeout").doesNotContain("127.0.0.1");
        }
    }

    @Test
    void everyAttemptTimingOutIsA504AndATimeoutMixedWithAnotherFailureA503() throws InterruptedException {
        try (Cluster cluster = startWithShortResponseTimeout("a", "b")) {
            cluster.behave("a", MockBehaviour.builder().timeToFirstByte(Duration.ofSeconds(5)).build());
            cluster.behave("b", MockBehaviour.builder().timeToFirstByte(Duration.ofSeconds(5)).build());

            RawHttpClient.Response allTimedOut = cluster.messages(Cluster.body(false));

            assertThat(allTimedOut.status).isEqualTo(504);
            assertThat(allTimedOut.json().text("error.type")).isEqualTo("timeout_error");
            assertThat(allTimedOut.json().text("error.message")).contains("2 upstream attempt(s)");
            assertThat(allTimedOut.header("x-should-retry")).isEqualTo("false");

            cluster.failWith("b", 500);
            RawHttpClient.Response mixed = cluster.messages(Cluster.body(false));

            assertThat(mixed.status).isEqualTo(503);
            assertThat(mixed.json().text("error.type")).isEqualTo("api_error");
        }
    }

    @Test
    void retryAfterIsTheSoonestRecovery() throws InterruptedException {
        try (Cluster cluster = start(5, 3, "a", "b")) {
            cluster.behave("a", MockBehaviour.builder().errorStatus(429).retryAfter("30").build());
            cluster.behave("b", MockBehaviour.builder().errorStatus(429).retryAfter("20").build());

            RawHttpClient.Response response = cluster.messages(Cluster.body(false));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("20");
            assertThat(response.header("x-should-retry")).isEqualTo("false");
        }
    }

    @Test
    void whenEveryCandidateIsOpenNoAttemptIsMade() throws InterruptedException {
        try (Cluster cluster = start(1, 3, "a", "b")) {
            cluster.failWith("a", 500);
            cluster.failWith("b", 500);
            assertThat(cluster.messages(Cluster.body(false)).status).isEqualTo(503);
            assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("open");
            assertThat(cluster.stats("b").text("breaker_state")).isEqualTo("open");

            RawHttpClient.Response response = cluster.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("error.type")).isEqualTo("overloaded_error");
            assertThat(response.json().text("error.message")).contains("circuit is open")
                    .doesNotContain("127.0.0.1");
            assertThat(response.header("retry-after")).isEqualTo("60");
            assertThat(response.header("x-should-retry")).isNull();
            assertThat(cluster.requests("a")).isEqualTo(1);
            assertThat(cluster.requests("b")).isEqualTo(1);

            cluster.clock.advance(Duration.ofSeconds(45));
            assertThat(cluster.messages(Cluster.body(true)).header("retry-after")).isEqualTo("15");
            assertThat(cluster.requests("a") + cluster.requests("b")).isEqualTo(2);
        }
    }

    @Test
    void maxAttemptsBoundsTheUpstreamsTried() throws InterruptedException {
        try (Cluster cluster = start(5, 2, "a", "b", "c")) {
            for (String name : List.of("a", "b", "c")) {
                cluster.failWith(name, 503);
            }

            RawHttpClient.Response response = cluster.messages(Cluster.body(true));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("error.message")).contains("2 upstream attempt(s)");
            assertThat(response.header("x-should-retry")).isEqualTo("false");
            assertThat(cluster.requests("a")).isEqualTo(1);
            assertThat(cluster.requests("b")).isEqualTo(1);
            assertThat(cluster.requests("c")).isZero();
            assertThat(cluster.stats("c").number("total_requests")).isZero();
        }
    }

    @Test
    void noUpstreamIsTriedTwiceInOneExchange() throws InterruptedException {
        try (Cluster cluster = start(5, 10, "a", "b", "c")) {
            for (String name : List.of("a", "b", "c")) {
                cluster.failWith(name, 500);
            }

            RawHttpClient.Response response = cluster.messages(Cluster.body(false));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.json().text("error.message")).contains("3 upstream attempt(s)");
            for (String name : List.of("a", "b", "c")) {
                assertThat(cluster.requests(name)).as(name).isEqualTo(1);
                assertThat(cluster.stats(name).number("total_requests")).as(name).isEqualTo(1);
            }
        }
    }

    @Test
    void aSingleAttemptReturnsTheUpstreamsOwnAnswer() throws InterruptedException {
        try (Cluster cluster = start(5, 1, "a", "b")) {
            cluster.behave("a", MockBehaviour.builder().errorStatus(503).retryAfter("9").build());

            RawHttpClient.Response response = cluster.messages(Cluster.body(false));

            assertThat(response.status).isEqualTo(503);
            assertThat(response.upstream()).isEqualTo("a");
            assertThat(response.header("x-mock-upstream")).isEqualTo("a");
            assertThat(response.header("retry-after")).isEqualTo("9");
            assertThat(response.json().text("error.type")).isEqualTo("overloaded_error");
            assertThat(cluster.requests("b")).isZero();
            assertThat(cluster.stats("a").number("errors_by_kind.http_503")).isEqualTo(1);
        }
    }
}
