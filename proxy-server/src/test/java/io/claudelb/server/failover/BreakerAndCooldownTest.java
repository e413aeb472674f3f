package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.HealthSettings;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The circuit breaker and the retry-after cooldown through the server, on the fake clock: failure_threshold
 * failures open upstream a (requests skip it), open_for later one probe is admitted, its verdict closes or re-opens
 * the breaker; a 429/529's retry-after keeps a out for that long (capped by retry_after_cap) and a success or an
 * admin reset clears it. Upstream a comes first (priority), b takes what a cannot.
 */
class BreakerAndCooldownTest {
    private Cluster cluster;

    @BeforeEach
    void start() throws InterruptedException {
        cluster = Cluster.builder().mock("a", "b").config(c -> c
                .balancing(Cluster.IN_ORDER)
                .health(new HealthSettings(3, Duration.ofSeconds(60), 1, Duration.ofSeconds(45), Set.of(),
                        List.of()))
                .adminKey(Cluster.ADMIN_KEY)).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private String upstreamOfNextRequest() {
        RawHttpClient.Response response = cluster.messages(Cluster.body(true));
        assertThat(response.status).as(response.toString()).isEqualTo(200);
        return response.upstream();
    }

    private void openBreakerOfA() {
        cluster.failWith("a", 503);
        int before = cluster.requests("a");
        for (int i = 0; i < 3; i++) {
            assertThat(upstreamOfNextRequest()).isEqualTo("b");
        }
        assertThat(cluster.requests("a")).isEqualTo(before + 3);
        assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("open");
    }

    @Test
    void thresholdFailuresOpenTheBreakerAndRequestsSkipTheUpstream() {
        cluster.failWith("a", 503);
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        Json counting = cluster.stats("a");
        assertThat(counting.text("breaker_state")).isEqualTo("closed");
        assertThat(counting.number("consecutive_failures")).isEqualTo(2);

        assertThat(upstreamOfNextRequest()).isEqualTo("b");

        Json a = cluster.stats("a");
        assertThat(a.text("breaker_state")).isEqualTo("open");
        assertThat(a.bool("circuit_open")).isTrue();
        assertThat(a.bool("available")).isFalse();
        assertThat(a.number("consecutive_failures")).isEqualTo(3);
        assertThat(a.decimal("seconds_until_half_open")).isEqualTo(60.0);
        assertThat(a.number("total_errors")).isEqualTo(3);
        assertThat(a.decimal("last_failure_time")).isPositive();
        Json providers = cluster.get("/providers").json();
        assertThat(providers.number("healthy_providers")).isEqualTo(1);
        assertThat(providers.named("providers", "a").bool("healthy")).isFalse();
        assertThat(providers.named("providers", "a").text("status")).isEqualTo("unhealthy");
        assertThat(providers.named("providers", "a").number("failure_count")).isEqualTo(3);

        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(cluster.requests("a")).isEqualTo(3);

        cluster.clock.advance(Duration.ofSeconds(30));
        assertThat(cluster.stats("a").decimal("seconds_until_half_open")).isEqualTo(30.0);
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(cluster.requests("a")).isEqualTo(3);
    }

    @Test
    void afterOpenForAProbeSuccessClosesTheBreaker() {
        openBreakerOfA();
        cluster.clock.advance(Duration.ofSeconds(60));
        assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("half_open");
        cluster.heal("a");

        assertThat(upstreamOfNextRequest()).isEqualTo("a");

        Json a = cluster.stats("a");
        assertThat(a.text("breaker_state")).isEqualTo("closed");
        assertThat(a.bool("circuit_open")).isFalse();
        assertThat(a.number("consecutive_failures")).isZero();
        assertThat(a.number("successes")).isEqualTo(1);
        assertThat(upstreamOfNextRequest()).isEqualTo("a");
        assertThat(upstreamOfNextRequest()).isEqualTo("a");
        assertThat(cluster.requests("b")).isEqualTo(3);
    }

    @Test
    void aProbeFailureReopensTheBreakerForAnotherOpenFor() {
        openBreakerOfA();
        cluster.clock.advance(Duration.ofSeconds(61));

        assertThat(upstreamOfNextRequest()).isEqualTo("b");

        assertThat(cluster.requests("a")).isEqualTo(4);
        Json a = cluster.stats("a");
        assertThat(a.text("breaker_state")).isEqualTo("open");
        assertThat(a.decimal("seconds_until_half_open")).isEqualTo(60.0);
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(cluster.requests("a")).isEqualTo(4);

        cluster.clock.advance(Duration.ofSeconds(60));
        cluster.heal("a");
        assertThat(upstreamOfNextRequest()).isEqualTo("a");
        assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("closed");
    }

    @Test
    void aHalfOpenBreakerAdmitsOneProbeAtATime() {
        openBreakerOfA();
        cluster.clock.advance(Duration.ofSeconds(60));
        cluster.behave("a", MockBehaviour.builder().timeToFirstByte(Duration.ofMillis(300)).build());

        try (RawHttpClient probe = cluster.client()) {
            probe.send(RawHttpClient.post("/v1/messages", Cluster.body(true)));
            cluster.awaitInFlight("a", 1);

            // The probe slot is taken: this request goes to b at once.
            assertThat(upstreamOfNextRequest()).isEqualTo("b");

            RawHttpClient.Response probed = probe.read();
            assertThat(probed.status).isEqualTo(200);
            assertThat(probed.upstream()).isEqualTo("a");
        }
        assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("closed");
        assertThat(cluster.requests("a")).isEqualTo(4);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 529})
    void retryAfterPutsTheUpstreamInCooldownUntilItExpires(int status) {
        cluster.behave("a", MockBehaviour.builder().errorStatus(status).retryAfter("30").build());

        assertThat(upstreamOfNextRequest()).isEqualTo("b");

        Json a = cluster.stats("a");
        assertThat(a.decimal("cooldown_seconds")).isEqualTo(30.0);
        assertThat(a.bool("available")).isFalse();
        // One failure is below the threshold: the breaker stays closed, the cooldown alone keeps a out.
        assertThat(a.text("breaker_state")).isEqualTo("closed");
        cluster.heal("a");
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        cluster.clock.advance(Duration.ofSeconds(29));
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(cluster.requests("a")).isEqualTo(1);

        cluster.clock.advance(Duration.ofSeconds(1));
        assertThat(upstreamOfNextRequest()).isEqualTo("a");

        Json after = cluster.stats("a");
        assertThat(after.decimal("cooldown_seconds")).isZero();
        assertThat(after.bool("available")).isTrue();
        assertThat(after.number("consecutive_failures")).isZero();
    }

    @Test
    void aLongRetryAfterIsCappedByRetryAfterCap() {
        cluster.behave("a", MockBehaviour.builder().errorStatus(429).retryAfter("300").build());

        assertThat(upstreamOfNextRequest()).isEqualTo("b");

        assertThat(cluster.stats("a").decimal("cooldown_seconds")).isEqualTo(45.0);
        cluster.heal("a");
        cluster.clock.advance(Duration.ofSeconds(44));
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        cluster.clock.advance(Duration.ofSeconds(1));
        assertThat(upstreamOfNextRequest()).isEqualTo("a");
    }

    @Test
    void anAdminResetClearsTheCooldownAndTheBreaker() {
        cluster.behave("a", MockBehaviour.builder().errorStatus(429).retryAfter("30").build());
        assertThat(upstreamOfNextRequest()).isEqualTo("b");
        assertThat(cluster.stats("a").decimal("cooldown_seconds")).isEqualTo(30.0);

        RawHttpClient.Response reset = cluster.post("/reset/a", "x-api-key: " + Cluster.ADMIN_KEY);

        assertThat(reset.status).isEqualTo(200);
        assertThat(reset.json().text("upstream")).isEqualTo("a");
        Json a = cluster.stats("a");
        assertThat(a.decimal("cooldown_seconds")).isZero();
        assertThat(a.number("consecutive_failures")).isZero();
        // Counters are history and stay.
        assertThat(a.number("errors_by_kind.http_429")).isEqualTo(1);
        cluster.heal("a");
        assertThat(upstreamOfNextRequest()).isEqualTo("a");

        openBreakerOfA();
        assertThat(cluster.post("/reset", "authorization: Bearer " + Cluster.ADMIN_KEY).status).isEqualTo(200);
        assertThat(cluster.stats("a").text("breaker_state")).isEqualTo("closed");
        cluster.heal("a");
        assertThat(upstreamOfNextRequest()).isEqualTo("a");
    }
}
