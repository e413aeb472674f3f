package io.claudelb.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3, a security hole: a gateway listening on a non-loopback address with client keys must not turn
 * into an open relay for the team's upstream credentials when a reload removes {@code clients:}. The reload is
 * refused like a start with that file, and the running config (keys required) stays.
 */
class OpenRelayOnReloadTest {
    private static final String ADMIN = "admin-key-0123456789";
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
    }

    private static TestConfigs onAllAddresses() {
        TestConfigs c = TestConfigs.proxy().anthropic("a", "http://127.0.0.1:9").adminKey(ADMIN);
        return c.server(c.build().server().withListen("0.0.0.0", 0));
    }

    @Test
    void aReloadWithoutClientKeysOnAPublicListenerIsRefusedAndKeysStayRequired() throws Exception {
        proxy = ProxyServer.start(onAllAddresses().client("alice", "sk-lb-alice").build(), NanoClock.SYSTEM, "test");
        GatewayConfig open = onAllAddresses().build();
        proxy.gateway().reloadSource(() -> open);

        Response reload = RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/reload", "", "x-api-key: " + ADMIN));
        assertThat(reload.status).isEqualTo(400);
        assertThat(reload.bodyText()).contains("Reload refused").contains("server.listen")
                .contains("no client keys");
        assertThatThrownBy(() -> proxy.gateway().reload(open)).isInstanceOf(ConfigException.class);

        Response anonymous = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[]}"));
        assertThat(anonymous.status).isEqualTo(401);
        assertThat(proxy.gateway().snapshot().config().requiresClientKey()).isTrue();
    }

    @Test
    void anOpenRemoteProxyMeantOnPurposeStillReloads() throws Exception {
        proxy = ProxyServer.start(onAllAddresses().client("alice", "sk-lb-alice").build(), NanoClock.SYSTEM, "test");
        TestConfigs meant = onAllAddresses();
        GatewayConfig open = meant.server(meant.build().server().toBuilder().allowUnauthenticatedRemote(true).build())
                .build();
        proxy.gateway().reload(open);
        assertThat(proxy.gateway().snapshot().config().requiresClientKey()).isFalse();
    }

    @Test
    void startingWithoutClientKeysOnAPublicListenerIsRefused() {
        assertThatThrownBy(() -> ProxyServer.start(onAllAddresses().build(), NanoClock.SYSTEM, "test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("refusing to listen on 0.0.0.0");
    }
}
