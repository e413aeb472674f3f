package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /stats} (a superset of seed A's fields), {@code /providers} (seed B's shape), {@code POST /reset} and
 * {@code /reset/{name}} behind the admin key, and no secret in any of them.
 */
class AdminEndpointsTest {
    private static final String CLIENT_KEY = "client-key-for-tests";
    /** The upstream credentials TestConfigs gives mocks a and b. */
    private static final List<String> SECRETS = List.of("sk-upstream-a", "sk-upstream-b", Cluster.ADMIN_KEY,
            CLIENT_KEY);

    @Test
    void statsHasSeedAFieldsAndMore() throws InterruptedException {
        // b is tried first (priority 0) and fails, a answers: b's errors and a's successes are both exact.
        try (Cluster cluster = Cluster.builder().mock("a", "b").config(c -> c.route(new RouteConfig("*", List.of(
                new TargetConfig("a", null, 1, 0), new TargetConfig("b", null, 0, 0)), Strategy.PRIORITY))).start()) {
            cluster.failWith("b", 500);
            for (int i = 0; i < 4; i++) {
                assertThat(cluster.messages(Cluster.body(i % 2 == 0)).status).isEqualTo(200);
            }

            Json stats = cluster.stats();

            assertThat(stats.list("endpoints")).extracting(e -> e.text("name")).containsExactly("a", "b");
            assertThat(stats.number("affinity_entries")).isZero();
            assertThat(stats.number("rebinds")).isZero();
            Json a = stats.named("endpoints", "a");
            Json b = stats.named("endpoints", "b");
            // Seed A's fields, with their types.
            assertThat(a.number("active_requests")).isZero();
            assertThat(a.number("total_requests")).isEqualTo(4);
            assertThat(a.number("total_errors")).isZero();
            assertThat(a.bool("circuit_open")).isFalse();
            assertThat(b.number("total_requests")).isEqualTo(4);
            assertThat(b.number("total_errors")).isEqualTo(4);
            assertThat(b.number("errors_by_kind.http_500")).isEqualTo(4);
            assertThat(b.number("consecutive_failures")).isEqualTo(4);
            // claude-lb's own.
            assertThat(a.text("kind")).isEqualTo("anthropic");
            assertThat(a.number("weight")).isEqualTo(1);
            assertThat(a.number("in_flight")).isZero();
            assertThat(a.number("successes")).isEqualTo(4);
            assertThat(a.text("breaker_state")).isEqualTo("closed");
            assertThat(a.decimal("seconds_until_half_open")).isZero();
            assertThat(a.decimal("cooldown_seconds")).isZero();
            assertThat(a.bool("available")).isTrue();
            assertThat(a.decimal("ttfb_p50_ms")).isNotNegative();
            assertThat(a.decimal("ttfb_p99_ms")).isNotNegative();
            assertThat(a.number("bytes")).isPositive();
            assertThat(a.number("affinity_bindings")).isZero();
            assertThat(a.number("rebinds")).isZero();
            assertThat(a.decimal("last_failure_time")).isZero();
            assertThat(b.decimal("last_failure_time")).isPositive();
        }
    }

    @Test
    void providersHasSeedBShapeAndNoSecrets() throws InterruptedException {
        // A third upstream behind an outbound proxy with a password (never contacted: /providers only reads config).
        UpstreamConfig proxied = UpstreamConfig.builder("proxied", UpstreamKind.ANTHROPIC)
                .baseUrl("https://api.example.test/prefix").auth(UpstreamAuth.apiKey("sk-upstream-proxied"))
                .proxy(new OutboundProxy("egress.internal", 3128, "lb", Secret.of("proxy-password"))).build();
        try (Cluster cluster = Cluster.builder().mock("a", "b").config(c -> c.adminKey(Cluster.ADMIN_KEY)
                .upstream(proxied)).start()) {
            RawHttpClient.Response response = cluster.get("/providers");

            assertThat(response.status).isEqualTo(200);
            Json providers = response.json();
            assertThat(providers.number("total_providers")).isEqualTo(3);
            assertThat(providers.number("healthy_providers")).isEqualTo(3);
            assertThat(providers.text("selection_strategy")).isEqualTo("least_requests");
            assertThat(providers.list("providers")).hasSize(3);
            Json viaProxy = providers.named("providers", "proxied");
            assertThat(viaProxy.text("base_url")).isEqualTo("https://api.example.test/prefix");
            assertThat(viaProxy.text("proxy")).isEqualTo("http://egress.internal:3128");
            assertThat(response.bodyText()).doesNotContain("sk-upstream-proxied", "proxy-password");
            assertThat(cluster.get("/stats").bodyText()).doesNotContain("sk-upstream-proxied", "proxy-password");
            Json a = providers.named("providers", "a");
            assertThat(a.text("type")).isEqualTo("anthropic");
            assertThat(a.text("base_url")).isEqualTo(cluster.mock("a").baseUrl());
            assertThat(a.bool("healthy")).isTrue();
            assertThat(a.number("failure_count")).isZero();
            assertThat(a.text("status")).isEqualTo("healthy");
            assertThat(a.text("auth_type")).isEqualTo("api_key");
            assertThat(response.bodyText()).doesNotContain(SECRETS);
        }
    }

    @Test
    void resetNeedsTheAdminKey() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("a", "b").config(c -> c.adminKey(Cluster.ADMIN_KEY)).start()) {
            List<RawHttpClient.Response> answers = new ArrayList<>();
            RawHttpClient.Response all = cluster.post("/reset", "x-api-key: " + Cluster.ADMIN_KEY);
            RawHttpClient.Response bearer = cluster.post("/reset", "authorization: Bearer " + Cluster.ADMIN_KEY);
            RawHttpClient.Response one = cluster.post("/reset/a", "x-api-key: " + Cluster.ADMIN_KEY);
            RawHttpClient.Response unknown = cluster.post("/reset/nope", "x-api-key: " + Cluster.ADMIN_KEY);
            RawHttpClient.Response missing = cluster.post("/reset");
            RawHttpClient.Response wrong = cluster.post("/reset", "x-api-key: not-the-admin-key");
            RawHttpClient.Response wrongOne = cluster.post("/reset/a", "authorization: Bearer nope");
            answers.addAll(List.of(all, bearer, one, unknown, missing, wrong, wrongOne));

            assertThat(all.status).isEqualTo(200);
            assertThat(all.json().text("status")).isEqualTo("reset");
            assertThat(all.json().number("upstreams")).isEqualTo(2);
            assertThat(bearer.status).isEqualTo(200);
            assertThat(one.status).isEqualTo(200);
            assertThat(one.json().text("upstream")).isEqualTo("a");
            assertThat(unknown.status).isEqualTo(404);
            assertThat(unknown.json().text("error.type")).isEqualTo("not_found_error");
            for (RawHttpClient.Response denied : List.of(missing, wrong, wrongOne)) {
                assertThat(denied.status).isEqualTo(401);
                assertThat(denied.json().text("error.type")).isEqualTo("authentication_error");
            }
            answers.add(cluster.get("/stats"));
            answers.add(cluster.get("/providers"));
            RawHttpClient.Response root = cluster.get("/");
            assertThat(root.json().text("service")).isEqualTo("claude-lb");
            assertThat(root.json().text("version")).isEqualTo("test");
            assertThat(root.json().number("providers_available")).isEqualTo(2);
            answers.add(root);
            answers.add(cluster.get("/health"));
            assertThat(answers).allSatisfy(r -> assertThat(r.bodyText()).doesNotContain(SECRETS));
            assertThat(answers).allSatisfy(r -> assertThat(r.headers.toString()).doesNotContain(SECRETS));
        }
    }

    @Test
    void withoutAnAdminKeyConfiguredResetIsDisabled() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("a").start()) {
            RawHttpClient.Response anyKey = cluster.post("/reset", "x-api-key: " + Cluster.ADMIN_KEY);
            RawHttpClient.Response noKey = cluster.post("/reset/a");

            assertThat(anyKey.status).isEqualTo(403);
            assertThat(anyKey.json().text("error.type")).isEqualTo("permission_error");
            assertThat(noKey.status).isEqualTo(403);
        }
    }

    @Test
    void withClientKeysReadViewsNeedAClientKeyAndResetOnlyTheAdminKey() throws InterruptedException {
        try (Cluster cluster = Cluster.builder().mock("a").config(c -> c.adminKey(Cluster.ADMIN_KEY)
                .client("alice", CLIENT_KEY)).start()) {
            assertThat(cluster.get("/stats").status).isEqualTo(401);
            assertThat(cluster.get("/providers").status).isEqualTo(401);
            RawHttpClient.Response stats = cluster.get("/stats", "x-api-key: " + CLIENT_KEY);
            assertThat(stats.status).isEqualTo(200);
            assertThat(stats.bodyText()).doesNotContain(SECRETS);
            assertThat(cluster.post("/reset", "x-api-key: " + CLIENT_KEY).status).isEqualTo(401);
            assertThat(cluster.post("/reset", "x-api-key: " + Cluster.ADMIN_KEY).status).isEqualTo(200);
        }
    }
}
