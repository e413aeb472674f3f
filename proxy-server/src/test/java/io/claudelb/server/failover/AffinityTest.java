package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Session affinity end to end (least_requests, affinity: session): a Claude Code session, identified by its header
 * or by {@code metadata.user_id} in either form, stays on one upstream while different sessions spread; when its
 * upstream fails or opens, the session moves once and stays on its new upstream.
 */
class AffinityTest {
    private Cluster cluster;

    @BeforeEach
    void start() throws InterruptedException {
        cluster = Cluster.builder().mock("a", "b", "c").config(c -> c
                .balancing(new BalancingSettings(Strategy.LEAST_REQUESTS, AffinityMode.SESSION, Duration.ofHours(1),
                        1000))
                .health(Cluster.health(1))
                .route(new RouteConfig("*haiku*", List.of(new TargetConfig("c", null, 0, 0)), null))
                .route(new RouteConfig("*", List.of(new TargetConfig("a", null, 0, 0),
                        new TargetConfig("b", null, 0, 0), new TargetConfig("c", null, 0, 0)), null))).start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private String viaHeader(String session) {
        RawHttpClient.Response response = cluster.messages(Cluster.body(true), "x-claude-code-session-id: " + session);
        assertThat(response.status).as(response.toString()).isEqualTo(200);
        return response.upstream();
    }

    private String viaUserId(String userId) {
        RawHttpClient.Response response = cluster.messages(Cluster.bodyWithUserId(false, userId));
        assertThat(response.status).as(response.toString()).isEqualTo(200);
        return response.upstream();
    }

    private static String legacyUserId(String session) {
        return "user_" + "ab12".repeat(16) + "_account_" + UUID.nameUUIDFromBytes(new byte[] {1}) + "_session_"
                + session;
    }

    private static String jsonUserId(String session) {
        return "{\"device_id\":\"" + "cd34".repeat(16) + "\",\"account_uuid\":\"\",\"session_id\":\"" + session
                + "\"}";
    }

    private static long sum(Json stats, String field) {
        return stats.list("endpoints").stream().mapToLong(e -> e.number(field)).sum();
    }

    @Test
    void eachSessionHeaderStaysOnOneUpstreamWhileSessionsSpread() {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        for (int round = 0; round < 5; round++) {
            for (int s = 0; s < 6; s++) {
                seen.computeIfAbsent("session-" + s, k -> new HashSet<>()).add(viaHeader("session-" + s));
            }
        }

        assertThat(seen.values()).allSatisfy(upstreams -> assertThat(upstreams).hasSize(1));
        Set<String> used = new HashSet<>();
        seen.values().forEach(used::addAll);
        assertThat(used).hasSizeGreaterThanOrEqualTo(2);
        Json stats = cluster.stats();
        assertThat(stats.number("affinity_entries")).isEqualTo(6);
        assertThat(stats.number("rebinds")).isZero();
        assertThat(sum(stats, "affinity_bindings")).isEqualTo(6);
        assertThat(sum(stats, "total_requests")).isEqualTo(30);
    }

    @Test
    void theSessionInMetadataUserIdWorksInBothFormsAndMatchesTheHeader() {
        Map<String, Set<String>> seen = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int s = 0; s < 4; s++) {
                String session = UUID.nameUUIDFromBytes(new byte[] {(byte) s}).toString();
                Set<String> upstreams = seen.computeIfAbsent(session, k -> new HashSet<>());
                upstreams.add(viaUserId(legacyUserId(session)));
                upstreams.add(viaUserId(jsonUserId(session)));
                upstreams.add(viaHeader(session));
            }
        }

        assertThat(seen).hasSize(4);
        assertThat(seen.values()).allSatisfy(upstreams -> assertThat(upstreams).hasSize(1));
        Set<String> used = new HashSet<>();
        seen.values().forEach(used::addAll);
        assertThat(used).hasSizeGreaterThanOrEqualTo(2);
        assertThat(cluster.stats().number("affinity_entries")).isEqualTo(4);
    }

    @Test
    void whenItsUpstreamFailsOrOpensASessionMovesOnceAndStays() {
        // Find two sessions bound to the same upstream (three upstreams, four sessions: two must share).
        Map<String, String> bound = new LinkedHashMap<>();
        String first = null;
        String second = null;
        for (int s = 0; s < 4 && second == null; s++) {
            String session = "s-" + s;
            String upstream = viaHeader(session);
            for (Map.Entry<String, String> e : bound.entrySet()) {
                if (e.getValue().equals(upstream)) {
                    first = e.getKey();
                    second = session;
                }
            }
            bound.put(session, upstream);
        }
        assertThat(second).isNotNull();
        String home = bound.get(first);
        cluster.failWith(home, 503);
        int homeRequests = cluster.requests(home);

        // The first session tries its upstream, which fails (threshold 1: it opens) and fails over.
        String firstMoved = viaHeader(first);
        assertThat(firstMoved).isNotEqualTo(home);
        assertThat(cluster.requests(home)).isEqualTo(homeRequests + 1);
        assertThat(cluster.stats(home).text("breaker_state")).isEqualTo("open");
        // The second finds it open and moves without trying it.
        String secondMoved = viaHeader(second);
        assertThat(secondMoved).isNotEqualTo(home);
        assertThat(cluster.requests(home)).isEqualTo(homeRequests + 1);

        for (int i = 0; i < 4; i++) {
            assertThat(viaHeader(first)).isEqualTo(firstMoved);
            assertThat(viaHeader(second)).isEqualTo(secondMoved);
        }
        Json stats = cluster.stats();
        assertThat(stats.number("rebinds")).isEqualTo(2);
        assertThat(stats.named("endpoints", home).number("rebinds")).isEqualTo(2);
        assertThat(stats.named("endpoints", home).number("affinity_bindings"))
                .isEqualTo(bound.values().stream().filter(home::equals).count() - 2);

        // Healed and closed again, the upstream gets no session back: moving twice would waste the cache twice.
        cluster.heal(home);
        cluster.clock.advance(Duration.ofSeconds(61));
        assertThat(viaHeader(first)).isEqualTo(firstMoved);
        assertThat(viaHeader(second)).isEqualTo(secondMoved);
        assertThat(cluster.stats().number("rebinds")).isEqualTo(2);
    }

    @Test
    void aSessionsBindingOnOneRouteNeverSteersAnother() {
        String sonnet = viaHeader("shared");
        RawHttpClient.Response haiku = cluster.messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":8,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-claude-code-session-id: shared");

        assertThat(haiku.status).isEqualTo(200);
        assertThat(haiku.upstream()).isEqualTo("c");
        assertThat(viaHeader("shared")).isEqualTo(sonnet);
        assertThat(cluster.stats().number("affinity_entries")).isEqualTo(2);
    }
}
