package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 3's "done when": a user with three Databricks workspaces, one of them failing, sees every request succeed
 * from the other two, each Claude Code session stay on one workspace, the failing one open and later probed back,
 * and {@code /stats} telling the story.
 *
 * <p>The strategy is round_robin so the order of first picks is exact (least_requests would depend on which event
 * loop finishes its bookkeeping first); failure_threshold is 2 because only a session's first request ever reaches
 * an upstream that is not its own, so with five sessions the failing workspace sees two requests.
 */
class ThreeWorkspacesTest {
    private static final List<String> WORKSPACES = List.of("ws-east", "ws-west", "ws-north");
    private static final String FAILING = "ws-west";

    @Test
    void oneFailingWorkspaceOfThree() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().kind(UpstreamKind.DATABRICKS).mock(WORKSPACES.toArray(String[]::new))
                .config(c -> c
                        .balancing(new BalancingSettings(Strategy.ROUND_ROBIN, AffinityMode.SESSION,
                                Duration.ofHours(1), 10_000))
                        .health(Cluster.health(2)))
                .start()) {
            cluster.failWith(FAILING, 503);

            // 50 requests from 5 sessions, interleaved as concurrent Claude Code sessions would be.
            Map<String, Set<String>> workspacesOf = new LinkedHashMap<>();
            for (int round = 0; round < 10; round++) {
                for (int s = 0; s < 5; s++) {
                    String session = "session-" + s;
                    RawHttpClient.Response response = cluster.messages(Cluster.body(round % 2 == 0),
                            "x-claude-code-session-id: " + session);
                    assertThat(response.status).as(response.toString()).isEqualTo(200);
                    assertThat(response.header("x-mock-upstream")).isEqualTo(response.upstream());
                    workspacesOf.computeIfAbsent(session, k -> new HashSet<>()).add(response.upstream());
                }
            }

            assertThat(workspacesOf.values()).allSatisfy(used -> assertThat(used).hasSize(1).doesNotContain(FAILING));
            Set<String> healthyUsed = new HashSet<>();
            workspacesOf.values().forEach(healthyUsed::addAll);
            assertThat(healthyUsed).containsExactlyInAnyOrder("ws-east", "ws-north");

            Json stats = cluster.stats();
            Json failing = stats.named("endpoints", FAILING);
            int failingRequests = cluster.requests(FAILING);
            assertThat(failingRequests).isGreaterThanOrEqualTo(2);
            assertThat(failing.text("kind")).isEqualTo("databricks");
            assertThat(failing.text("breaker_state")).isEqualTo("open");
            assertThat(failing.bool("circuit_open")).isTrue();
            assertThat(failing.bool("available")).isFalse();
            assertThat(failing.number("total_requests")).isEqualTo(failingRequests);
            assertThat(failing.number("total_errors")).isEqualTo(failingRequests);
            assertThat(failing.number("errors_by_kind.http_503")).isEqualTo(failingRequests);
            assertThat(failing.number("successes")).isZero();
            assertThat(failing.number("affinity_bindings")).isZero();
            // Every session that first landed on the failing workspace moved away once.
            assertThat(failing.number("rebinds")).isEqualTo(failingRequests);
            assertThat(stats.number("rebinds")).isEqualTo(failingRequests);
            assertThat(stats.number("affinity_entries")).isEqualTo(5);
            long served = 0;
            for (String healthy : List.of("ws-east", "ws-north")) {
                Json row = stats.named("endpoints", healthy);
                assertThat(row.text("breaker_state")).isEqualTo("closed");
                assertThat(row.number("total_errors")).isZero();
                assertThat(row.number("active_requests")).isZero();
                assertThat(row.number("bytes")).isPositive();
                served += row.number("successes");
            }
            assertThat(served).isEqualTo(50);
            RawHttpClient.Response providers = cluster.get("/providers");
            assertThat(providers.json().number("healthy_providers")).isEqualTo(2);
            assertThat(providers.bodyText() + cluster.get("/stats").bodyText()).doesNotContain("dapi-");

            // The workspace recovers; open_for later a new session's request probes it and closes the breaker.
            cluster.heal(FAILING);
            cluster.clock.advance(Duration.ofSeconds(60));
            assertThat(cluster.stats(FAILING).text("breaker_state")).isEqualTo("half_open");
            String probedBy = null;
            for (int s = 5; s < 11 && probedBy == null; s++) {
                RawHttpClient.Response response = cluster.messages(Cluster.body(true),
                        "x-claude-code-session-id: session-" + s);
                assertThat(response.status).isEqualTo(200);
                if (FAILING.equals(response.upstream())) {
                    probedBy = "session-" + s;
                }
            }
            assertThat(probedBy).as("a new session reaches the half-open workspace").isNotNull();
            Json recovered = cluster.stats(FAILING);
            assertThat(recovered.text("breaker_state")).isEqualTo("closed");
            assertThat(recovered.bool("circuit_open")).isFalse();
            assertThat(recovered.number("successes")).isEqualTo(1);
            assertThat(recovered.number("consecutive_failures")).isZero();
            assertThat(recovered.number("affinity_bindings")).isEqualTo(1);
            assertThat(cluster.get("/providers").json().number("healthy_providers")).isEqualTo(3);

            // The first five sessions keep their workspaces: their caches stay warm.
            for (Map.Entry<String, Set<String>> e : workspacesOf.entrySet()) {
                RawHttpClient.Response response = cluster.messages(Cluster.body(false),
                        "x-claude-code-session-id: " + e.getKey());
                assertThat(e.getValue()).containsExactly(response.upstream());
            }
        }
    }
}
