package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The strategies as the server applies them: the exact smooth round-robin sequence, and priority's fixed order. */
class StrategyTest {

    private static Cluster start(Strategy strategy, TargetConfig... targets) throws InterruptedException {
        return Cluster.builder().mock("a", "b", "c").config(c -> c
                .balancing(new BalancingSettings(Strategy.LEAST_REQUESTS, AffinityMode.NONE, Duration.ofHours(1),
                        1000))
                .route(new RouteConfig("*", List.of(targets), strategy))).start();
    }

    private static List<String> upstreamsOf(Cluster cluster, int requests, String... headers) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            RawHttpClient.Response response = cluster.messages(Cluster.body(i % 2 == 0), headers);
            assertThat(response.status).isEqualTo(200);
            order.add(response.upstream());
        }
        return order;
    }

    @Test
    void roundRobinWithWeightsThreeToOneGivesTheSmoothSequence() throws InterruptedException {
        try (Cluster cluster = start(Strategy.ROUND_ROBIN, new TargetConfig("a", null, 0, 3),
                new TargetConfig("b", null, 0, 1))) {
            assertThat(upstreamsOf(cluster, 8)).containsExactly("a", "a", "b", "a", "a", "a", "b", "a");
            // With affinity off a session id changes nothing.
            assertThat(upstreamsOf(cluster, 4, "x-claude-code-session-id: s-1"))
                    .containsExactly("a", "a", "b", "a");
            assertThat(cluster.requests("c")).isZero();
        }
    }

    @Test
    void leastRequestsSendsEachRequestToTheLeastBusyUpstream() throws InterruptedException {
        try (Cluster cluster = start(Strategy.LEAST_REQUESTS, new TargetConfig("a", null, 0, 0),
                new TargetConfig("b", null, 0, 0), new TargetConfig("c", null, 0, 0))) {
            List<RawHttpClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawHttpClient client = cluster.client();
                    clients.add(client);
                    client.send(RawHttpClient.post("/v1/messages", Cluster.body(true), "x-mock-ttfb-ms: 300"));
                    cluster.awaitTotalInFlight(i + 1);
                }
                Set<String> used = new HashSet<>();
                for (RawHttpClient client : clients) {
                    RawHttpClient.Response response = client.read();
                    assertThat(response.status).isEqualTo(200);
                    used.add(response.upstream());
                }
                assertThat(used).containsExactlyInAnyOrder("a", "b", "c");
            } finally {
                for (RawHttpClient client : clients) {
                    client.close();
                }
            }
        }
    }

    @Test
    void priorityUsesTheLowestNumberAndTheNextOnlyOnFailure() throws InterruptedException {
        try (Cluster cluster = start(Strategy.PRIORITY, new TargetConfig("a", null, 2, 0),
                new TargetConfig("b", null, 1, 0), new TargetConfig("c", null, 3, 0))) {
            assertThat(upstreamsOf(cluster, 4)).containsOnly("b");

            cluster.failWith("b", 503);
            assertThat(upstreamsOf(cluster, 2)).containsExactly("a", "a");
            assertThat(cluster.requests("b")).isEqualTo(6);
            assertThat(cluster.requests("c")).isZero();

            cluster.heal("b");
            assertThat(upstreamsOf(cluster, 2)).containsExactly("b", "b");
            assertThat(cluster.requests("a")).isEqualTo(2);
        }
    }
}
