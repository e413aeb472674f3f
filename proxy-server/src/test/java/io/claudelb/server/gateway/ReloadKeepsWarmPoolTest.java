package io.claudelb.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Backend pools are keyed by the upstream's endpoint, not its whole config: a reload that only changes a weight
 * keeps the warm connection, one that moves the upstream to another address gets a fresh one.
 */
class ReloadKeepsWarmPoolTest {
    private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private MockUpstream mock;
    private MockUpstream other;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws InterruptedException {
        mock = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).build());
        other = MockUpstream.start(MockOptions.builder().name("b").ioThreads(1).build());
        // One event loop: every request uses the same loop's pool.
        proxy = ProxyServer.start(config(mock, 1), NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ZERO);
        mock.close();
        other.close();
    }

    private static GatewayConfig config(MockUpstream upstream, int weight) {
        UpstreamConfig a = TestConfigs.proxy().anthropic("a", upstream.baseUrl()).build().upstreams().get(0);
        return TestConfigs.proxy().ioThreads(1).upstream(a.toBuilder().weight(weight).build()).build();
    }

    private int relay() {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", BODY)).status;
    }

    @Test
    void aReloadThatOnlyChangesAWeightKeepsTheWarmConnection() {
        assertThat(relay()).isEqualTo(200);
        assertThat(mock.connectionsAccepted()).isEqualTo(1);

        proxy.gateway().reload(config(mock, 5));

        assertThat(relay()).isEqualTo(200);
        assertThat(proxy.gateway().snapshot().config().upstreams().get(0).weight()).isEqualTo(5);
        assertThat(mock.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aReloadThatMovesTheUpstreamConnectsToTheNewAddress() {
        assertThat(relay()).isEqualTo(200);

        proxy.gateway().reload(config(other, 1));

        assertThat(relay()).isEqualTo(200);
        assertThat(other.connectionsAccepted()).isEqualTo(1);
        assertThat(mock.requests()).hasSize(1);
    }

    @Test
    void theConnectionsOfAnEndpointNoUpstreamHasAnyMoreAreClosed() {
        assertThat(relay()).isEqualTo(200);
        assertThat(proxy.openBackendConnections()).isEqualTo(1);

        proxy.gateway().reload(config(other, 1));

        // The idle connection to the old address goes with its pool; only the new address's pool is left.
        Await.until("the old endpoint's idle connection closed", () -> proxy.openBackendConnections() == 0,
                Duration.ofSeconds(5));
        assertThat(relay()).isEqualTo(200);
        assertThat(proxy.openBackendConnections()).isEqualTo(1);
    }
}
