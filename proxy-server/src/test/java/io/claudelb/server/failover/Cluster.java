package io.claudelb.server.failover;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A claude-lb proxy on a loopback port in front of several {@link MockUpstream}s (and, optionally, upstreams that
 * point at a closed port), with a {@link FakeClock} for breakers, cooldowns and affinity. Upstreams appear in the
 * config in the order they were added, named as added; each mock answers with {@code x-mock-upstream: <name>}.
 */
final class Cluster implements AutoCloseable {
    static final String MODEL = "claude-sonnet-4-5";
    static final String ADMIN_KEY = "admin-key-for-tests";

    /** Lowest priority first, config order among equals, no affinity: the order of attempts is the config's. */
    static final BalancingSettings IN_ORDER = new BalancingSettings(Strategy.PRIORITY, AffinityMode.NONE,
            Duration.ofHours(1), 1000);

    final FakeClock clock = new FakeClock();
    private final Map<String, MockUpstream> mocks = new LinkedHashMap<>();
    private ProxyServer proxy;

    private Cluster() {
    }

    static Builder builder() {
        return new Builder();
    }

    /** Describes the cluster before anything is started. */
    static final class Builder {
        /** {@code url} null: a mock; "": a closed port; else that address. */
        private record Member(String name, String url) {
        }

        private final List<Member> members = new ArrayList<>();
        private UpstreamKind kind = UpstreamKind.ANTHROPIC;
        private UpstreamAuth auth;
        private TimeoutSettings timeouts = new TimeoutSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(10));
        private Consumer<TestConfigs> config = c -> { };

        /** A mock upstream named {@code name}. */
        Builder mock(String... names) {
            for (String name : names) {
                members.add(new Member(name, null));
            }
            return this;
        }

        /** An upstream whose base_url is a port nothing listens on (connect refused). */
        Builder dead(String name) {
            members.add(new Member(name, ""));
            return this;
        }

        /** An upstream at {@code baseUrl} that the test runs itself. */
        Builder external(String name, String baseUrl) {
            members.add(new Member(name, baseUrl));
            return this;
        }

        /** Kind of every upstream ({@code anthropic} unless said). */
        Builder kind(UpstreamKind value) {
            this.kind = value;
            return this;
        }

        /** Credential of every upstream (by default api_key "sk-upstream-NAME", Databricks bearer "dapi-NAME"). */
        Builder auth(UpstreamAuth value) {
            this.auth = value;
            return this;
        }

        /** Timeouts of every upstream (connect 2 s, first byte 10 s, idle 10 s unless said). */
        Builder timeouts(TimeoutSettings value) {
            this.timeouts = value;
            return this;
        }

        /** Further config (balancing, health, retry, routes, admin key) after the upstreams are added. */
        Builder config(Consumer<TestConfigs> value) {
            this.config = value;
            return this;
        }

        Cluster start() throws InterruptedException {
            Cluster cluster = new Cluster();
            try {
                TestConfigs configs = TestConfigs.proxy().server(ServerSettings.builder().host("127.0.0.1").port(0)
                        .shutdownGrace(Duration.ofSeconds(1)).ioThreads(2).maxConnections(1024).build());
                for (Member m : members) {
                    String url;
                    if (m.url != null) {
                        url = m.url.isEmpty() ? "http://127.0.0.1:" + closedPort() : m.url;
                    } else {
                        MockUpstream mock = MockUpstream.start(MockOptions.builder().name(m.name).ioThreads(1).build());
                        cluster.mocks.put(m.name, mock);
                        url = mock.baseUrl();
                    }
                    boolean databricks = kind == UpstreamKind.DATABRICKS;
                    UpstreamAuth credential = auth != null ? auth
                            : databricks ? UpstreamAuth.bearer("dapi-" + m.name)
                            : UpstreamAuth.apiKey("sk-upstream-" + m.name);
                    configs.upstream(UpstreamConfig.builder(m.name, kind)
                            .baseUrl(databricks ? url + "/serving-endpoints" : url).auth(credential)
                            .timeouts(timeouts).countTokens(true).build());
                }
                config.accept(configs);
                cluster.proxy = ProxyServer.start(configs.build(), cluster.clock, "test");
                return cluster;
            } catch (RuntimeException | InterruptedException e) {
                cluster.close();
                throw e;
            }
        }
    }

    /** A loopback port that was free a moment ago and has no listener now. */
    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Breaker settings: open after {@code failureThreshold} failures for 60 s, one probe, retry-after cap 60 s. */
    static HealthSettings health(int failureThreshold) {
        return new HealthSettings(failureThreshold, Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Set.of(),
                List.of());
    }

    // ---- requests ----------------------------------------------------------------------------------------------

    /** A Messages request body for {@link #MODEL}. */
    static String body(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok\"}]}";
    }

    /** A Messages request body whose {@code metadata.user_id} is {@code userId} (JSON-escaped here). */
    static String bodyWithUserId(boolean stream, String userId) {
        String escaped = userId.replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":64,\"stream\":" + stream
                + ",\"metadata\":{\"user_id\":\"" + escaped + "\"}"
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok\"}]}";
    }

    /** POST /v1/messages on a new connection; the whole response. */
    RawHttpClient.Response messages(String body, String... headers) {
        return request("POST", "/v1/messages", body, headers);
    }

    RawHttpClient.Response get(String path, String... headers) {
        return request("GET", path, null, headers);
    }

    RawHttpClient.Response post(String path, String... headers) {
        return request("POST", path, "{}", headers);
    }

    RawHttpClient.Response request(String method, String path, String body, String... headers) {
        byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.request(method, path, bytes, headers));
    }

    /** A connection to the proxy, for tests that drive it step by step. */
    RawHttpClient client() {
        return RawHttpClient.connect(proxy.port());
    }

    /** {@code GET /stats}, parsed. */
    Json stats() {
        RawHttpClient.Response response = get("/stats");
        if (response.status != 200) {
            throw new AssertionError("/stats answered " + response);
        }
        return response.json();
    }

    /** One upstream's row of {@code /stats}. */
    Json stats(String upstream) {
        return stats().named("endpoints", upstream);
    }

    /**
     * Waits (polling {@code /stats}, no sleeping) until no attempt is in flight on {@code upstream}: the proxy has
     * seen the end of every exchange the test started, including ones whose client went away.
     */
    void awaitIdle(String upstream) {
        awaitInFlight(upstream, 0);
    }

    /** Waits (polling {@code /stats}) until exactly {@code n} attempts are in flight on {@code upstream}. */
    void awaitInFlight(String upstream, long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stats(upstream).number("active_requests") != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("upstream " + upstream + " never had " + n + " in flight: " + stats());
            }
        }
    }

    /** Waits (polling {@code /stats}) until exactly {@code n} attempts are in flight over all upstreams. */
    void awaitTotalInFlight(long n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (stats().list("endpoints").stream().mapToLong(e -> e.number("active_requests")).sum() != n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never " + n + " in flight: " + stats());
            }
        }
    }

    // ---- mocks -------------------------------------------------------------------------------------------------

    MockUpstream mock(String name) {
        MockUpstream mock = mocks.get(name);
        if (mock == null) {
            throw new IllegalArgumentException("no mock named " + name);
        }
        return mock;
    }

    /** Model requests the mock has received. */
    int requests(String name) {
        return mock(name).requests().size();
    }

    void behave(String name, MockBehaviour behaviour) {
        mock(name).setBehaviour(behaviour);
    }

    /** Makes the mock answer every model request with {@code status}. */
    void failWith(String name, int status) {
        behave(name, MockBehaviour.builder().errorStatus(status).build());
    }

    void heal(String name) {
        behave(name, MockBehaviour.defaults());
    }

    ProxyServer proxy() {
        return proxy;
    }

    @Override
    public void close() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(1));
        }
        mocks.values().forEach(MockUpstream::close);
    }
}
