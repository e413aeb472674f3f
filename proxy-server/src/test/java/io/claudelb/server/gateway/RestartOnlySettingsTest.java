package io.claudelb.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.LoggingSettings;
import io.claudelb.core.config.MetricsSettings;
import io.claudelb.core.config.StorageSettings;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which changed settings a reload reports as needing a restart, and which it applies without one. */
class RestartOnlySettingsTest {
    private final GatewayConfig running = TestConfigs.proxy().anthropic("a", "http://127.0.0.1:9").build();

    @Test
    void settingsReadPerRequestNeedNoRestart() {
        UpstreamConfig a = running.upstreams().get(0);
        GatewayConfig next = TestConfigs.proxy().upstream(a.toBuilder().weight(4).build())
                .server(running.server().toBuilder().maxRequestBytes(1024).maxConnections(10)
                        .idleTimeout(Duration.ofSeconds(5)).headerReadTimeout(Duration.ofSeconds(2))
                        .shutdownGrace(Duration.ofSeconds(1)).build())
                .build();
        GatewayConfig noAccessLog = next.withLogging(logging(running.logging(), "info", false));

        assertThat(RestartOnlySettings.changed(running, noAccessLog)).isEmpty();
    }

    @Test
    void storageLoggingListenThreadsAndMetricsTurnedOnNeedARestart() {
        GatewayConfig next = running
                .withServer(running.server().toBuilder().port(running.server().port() + 1).ioThreads(7).build())
                .withStorage(StorageSettings.DEFAULTS)
                .withLogging(logging(running.logging(), "debug", true));
        GatewayConfig withoutMetrics = running.withMetrics(new MetricsSettings(false, running.metrics().token()));

        assertThat(RestartOnlySettings.changed(running, next))
                .containsExactly("server.listen", "server.io_threads", "storage", "logging");
        assertThat(RestartOnlySettings.changed(withoutMetrics, running)).containsExactly("metrics.enabled");
        assertThat(RestartOnlySettings.changed(running, withoutMetrics)).isEmpty();
    }

    private static LoggingSettings logging(LoggingSettings s, String level, boolean accessLog) {
        return new LoggingSettings(level, s.format(), s.file(), accessLog, s.maxFileBytes(), s.maxHistory(),
                s.totalCap());
    }
}
