package io.claudelb.server.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole gateway with {@code health.probe} on, on loopback: the preferred upstream is a closed port. Its probe
 * fails in the background before any request, so the first request goes straight to the other upstream (no failed
 * attempt, no failover), and {@code /readyz} counts only the reachable one.
 */
class ProbedGatewayTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private MockUpstream live;
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(2));
        }
        if (live != null) {
            live.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUpstreamWhoseProbeFailsGetsNoRequest() throws Exception {
        live = MockUpstream.start(MockOptions.builder().name("live").ioThreads(1).build());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        String yaml = """
                upstreams:
                  - { name: gone, base_url: "http://127.0.0.1:%d" }
                  - { name: live, base_url: "%s" }
                routes:
                  - match: "*"
                    strategy: priority
                    targets: [ { upstream: gone, priority: 0 }, { upstream: live, priority: 1 } ]
                health: { probe: { interval: 1s, timeout: 500ms } }
                storage: { enabled: false }
                """.formatted(closed, live.baseUrl());
        proxy = ProxyServer.start(TestConfigs.onFreePort(ConfigLoader.parse(yaml, "probes.yaml", Map.of())),
                NanoClock.SYSTEM, "test");

        Await.until("the probe finds the closed port",
                () -> proxy.gateway().balancerState().upstream("gone").unreachable(), Duration.ofSeconds(10));
        HttpResponse<String> ready = send("GET", "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"upstreams_available\":1");

        HttpResponse<String> answer = send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", false));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(proxy.gateway().balancerState().upstream("gone").stats().totalRequests())
                .as("no attempt on the unreachable upstream").isZero();
        assertThat(proxy.gateway().balancerState().upstream("live").stats().totalRequests()).isEqualTo(1);
    }
}
