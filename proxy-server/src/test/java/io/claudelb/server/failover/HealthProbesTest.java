package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.config.ServerSettings;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code /livez} and {@code /readyz} over loopback against the mock upstream: open without any key even when client
 * keys are configured, readiness following the balancer (the only upstream's breaker open makes it fail while
 * liveness holds), {@code /health} keeping its shape, and a graceful stop failing readiness for
 * {@code server.drain_delay} while the listener still accepts.
 */
class HealthProbesTest {
    private static final String CLIENT_KEY = "client-key-for-tests";

    @Test
    void livezAndReadyzAnswerWithoutAKeyWhileAnUpstreamIsAvailable() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("a").config(c -> c.client("alice", CLIENT_KEY)).start()) {
            // Client keys are enforced on everything else: the probes are open on purpose, not by accident.
            assertThat(cluster.get("/stats").status).isEqualTo(401);

            RawHttpClient.Response live = cluster.get("/livez");
            RawHttpClient.Response ready = cluster.get("/readyz");
            RawHttpClient.Response health = cluster.get("/health");

            assertThat(live.status).isEqualTo(200);
            assertThat(live.json().text("status")).isEqualTo("ok");
            assertThat(ready.status).isEqualTo(200);
            assertThat(ready.json().text("status")).isEqualTo("ready");
            assertThat(ready.json().number("upstreams_available")).isEqualTo(1);
            assertThat(health.status).isEqualTo(200);
            assertThat(health.json().text("status")).isEqualTo("healthy");
            assertThat(health.json().number("upstreams_available")).isEqualTo(1);
        }
    }

    @Test
    void readyzFailsOnceTheOnlyUpstreamsBreakerOpensAndLivezStillAnswers() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("a").config(c -> c.client("alice", CLIENT_KEY)
                .health(Cluster.health(2))).start()) {
            cluster.failWith("a", 529);
            Await.until("a's breaker open", () -> {
                cluster.messages(Cluster.body(false), "x-api-key: " + CLIENT_KEY);
                return cluster.get("/readyz").status == 503;
            }, Duration.ofSeconds(10));

            RawHttpClient.Response ready = cluster.get("/readyz");
            RawHttpClient.Response live = cluster.get("/livez");
            RawHttpClient.Response health = cluster.get("/health");

            assertThat(ready.status).isEqualTo(503);
            assertThat(ready.json().text("status")).isEqualTo("unavailable");
            assertThat(ready.json().text("reason")).isEqualTo("no_upstream_available");
            assertThat(live.status).isEqualTo(200);
            assertThat(health.status).isEqualTo(503);
            assertThat(health.json().text("status")).isEqualTo("unhealthy");
        }
    }

    @Test
    void readyzFailsFirstWhileDrainingAndTheListenerStillAnswers() throws Exception {
        try (Cluster cluster = Cluster.builder().mock("a").config(c -> c.client("alice", CLIENT_KEY)
                .server(ServerSettings.builder().host("127.0.0.1").port(0).shutdownGrace(Duration.ofSeconds(1))
                        .ioThreads(2).drainDelay(Duration.ofMinutes(1)).build())).start()) {
            assertThat(cluster.get("/readyz").status).isEqualTo(200);
            Thread stopping = new Thread(() -> cluster.proxy().stop(Duration.ofSeconds(1)), "test-stop");
            stopping.start();
            try {
                Await.until("/readyz failing while draining", () -> cluster.get("/readyz").status == 503,
                        Duration.ofSeconds(10));

                // New connections are still accepted: the load balancer sees the 503 instead of a refused connect.
                RawHttpClient.Response ready = cluster.get("/readyz");
                assertThat(ready.status).isEqualTo(503);
                assertThat(ready.json().text("status")).isEqualTo("unavailable");
                assertThat(ready.json().text("reason")).isEqualTo("draining");
                assertThat(cluster.get("/livez").status).isEqualTo(200);
                assertThat(cluster.messages(Cluster.body(false), "x-api-key: " + CLIENT_KEY).status).isEqualTo(200);
            } finally {
                // Ends the drain delay early: the shutdown then goes on as usual.
                stopping.interrupt();
                stopping.join(10_000);
            }
            assertThat(stopping.isAlive()).isFalse();
            assertThatThrownBy(() -> cluster.get("/livez")).isInstanceOf(RuntimeException.class);
        }
    }
}
