package io.claudelb.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.LoggingSettings;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 3: a reload applies the client-side settings too ({@code max_request_bytes}, the client timeouts,
 * {@code max_connections}; {@code logging.access_log}: AccessLogSwitchTest), and says which changed settings only a restart applies.
 */
class ReloadedServerSettingsTest {
    private static final String ADMIN = "admin-key-0123456789";
    /** A request body of about 3 KB. */
    private static final String BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[{\"role\":"
            + "\"user\",\"content\":\"" + "x".repeat(3000) + "\"}]}";
    private MockUpstream mock;
    private ProxyServer proxy;

    @BeforeEach
    void startMock() {
        mock = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        mock.close();
    }

    /** The test's config with its server settings changed by {@code server}. */
    private GatewayConfig config(UnaryOperator<ServerSettings.Builder> server) {
        TestConfigs c = TestConfigs.proxy().ioThreads(1).adminKey(ADMIN).anthropic("a", mock.baseUrl());
        return c.server(server.apply(c.build().server().toBuilder()).build()).build();
    }

    private void start(GatewayConfig config) throws InterruptedException {
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");
    }

    @Test
    void aReloadedMaxRequestBytesJudgesTheNextRequestOnAnOpenConnectionAndANewOne() throws Exception {
        start(config(s -> s.maxRequestBytes(100_000)));
        try (RawHttpClient kept = RawHttpClient.connect(proxy.port())) {
            kept.send(RawHttpClient.post("/v1/messages", BODY));
            assertThat(kept.read().status).isEqualTo(200);

            proxy.gateway().reload(config(s -> s.maxRequestBytes(2_000)));

            kept.send(RawHttpClient.post("/v1/messages", BODY));
            Response tooLarge = kept.readUntilFailure();
            assertThat(tooLarge.status).isEqualTo(413);
            assertThat(tooLarge.json().text("error.type")).isEqualTo("request_too_large");
            assertThat(tooLarge.json().text("error.message")).contains("2000 bytes");
        }
        assertThat(RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", BODY)).status)
                .isEqualTo(413);
        assertThat(mock.requests()).hasSize(1);
    }

    @Test
    void aReloadedHeaderReadTimeoutAppliesToTheNextRequest() throws Exception {
        start(config(s -> s.headerReadTimeout(Duration.ofSeconds(60))));

        proxy.gateway().reload(config(s -> s.headerReadTimeout(Duration.ofMillis(300))));

        try (RawHttpClient slow = RawHttpClient.connect(proxy.port())) {
            slow.send("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            Response late = slow.readUntilFailure();
            assertThat(late.status).isEqualTo(408);
            assertThat(late.json().text("error.type")).isEqualTo("timeout_error");
        }
    }

    @Test
    void aReloadedMaxConnectionsRefusesTheNextConnection() throws Exception {
        start(config(s -> s.maxConnections(100)));
        try (RawHttpClient first = RawHttpClient.connect(proxy.port())) {
            first.send(RawHttpClient.post("/v1/messages", BODY));
            assertThat(first.read().status).isEqualTo(200);

            proxy.gateway().reload(config(s -> s.maxConnections(1)));

            try (RawHttpClient second = RawHttpClient.connect(proxy.port())) {
                second.send(RawHttpClient.post("/v1/messages", BODY));
                Response refused = second.readUntilFailure();
                assertThat(refused.failure).isNotNull();
                assertThat(refused.status).isZero();
            }
            first.send(RawHttpClient.post("/v1/messages", BODY));
            assertThat(first.read().status).isEqualTo(200);
        }
    }

    @Test
    void theReloadAnswerNamesTheSettingsThatNeedARestartAndAppliesTheRest() throws Exception {
        GatewayConfig running = config(s -> s.maxRequestBytes(100_000));
        start(running);
        GatewayConfig next = config(s -> s.maxRequestBytes(2_000).port(proxy.port() + 1).ioThreads(3));
        proxy.gateway().reloadSource(() -> next.withLogging(new LoggingSettings("debug", next.logging().format(),
                null, true, next.logging().maxFileBytes(), next.logging().maxHistory(), next.logging().totalCap())));

        Response reload = RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/reload", "", "x-api-key: " + ADMIN));

        assertThat(reload.status).isEqualTo(200);
        Json answer = reload.json();
        assertThat(answer.text("message")).isEqualTo(
                "Configuration reloaded; restart needed for: server.listen, server.io_threads, logging");
        assertThat(reload.bodyText()).contains("\"restart_needed\":[\"server.listen\",\"server.io_threads\","
                + "\"logging\"]");
        assertThat(RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", BODY)).status)
                .isEqualTo(413);

        proxy.gateway().reloadSource(() -> running);
        Response back = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/reload", "", "x-api-key: " + ADMIN));
        assertThat(back.json().text("message")).isEqualTo("Configuration reloaded");
        assertThat(back.bodyText()).contains("\"restart_needed\":[]");
    }
}
