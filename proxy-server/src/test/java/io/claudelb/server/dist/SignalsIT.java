package io.claudelb.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Sse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/claude-lb as a real process against the mock: SIGHUP reloads the edited file (and an invalid one changes
 * nothing, logged one line per error), SIGTERM lets a running stream finish and the process exits 0.
 */
class SignalsIT {
    @TempDir
    Path dir;
    private MockUpstream mock;
    private GatewayProcess gateway;

    @BeforeEach
    void startMock() {
        // 20 text deltas 50 ms apart: a stream of about a second, still running when SIGTERM comes.
        mock = MockUpstream.start(MockOptions.builder().name("mock").ioThreads(1)
                .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(50)).textEvents(20).build()).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.close();
        }
        mock.close();
    }

    private String config(String... upstreams) {
        // Usage accounting off: the test must not write into the machine's /var/lib/claude-lb.
        return GatewayProcess.mockConfig(mock, "storage: { enabled: false }\n", upstreams);
    }

    private String providers() {
        return RawHttpClient.exchange(gateway.port(), RawHttpClient.get("/providers")).bodyText();
    }

    @Test
    void sighupReloadsTheFileAndSigtermDrainsThenExitsZero() throws Exception {
        Path file = dir.resolve("claude-lb.yaml");
        Files.writeString(file, config("first"), StandardCharsets.UTF_8);
        ProcessBuilder launcher = new ProcessBuilder(Path.of(System.getProperty("claude-lb.root"), "bin", "claude-lb")
                .toString(), "serve", "--config", file.toString()).directory(dir.toFile());
        launcher.environment().put("JAVA_OPTS", "-Dio.netty.leakDetection.level=paranoid");
        gateway = GatewayProcess.start(launcher, dir.resolve("gateway.log"));
        assertThat(providers()).contains("\"first\"").doesNotContain("\"second\"");

        Files.writeString(file, config("first", "second"), StandardCharsets.UTF_8);
        gateway.signal("HUP");
        try {
            Await.until("SIGHUP reloads the file", () -> providers().contains("\"second\""), Duration.ofSeconds(20));
        } catch (AssertionError e) {
            // What the gateway said is what explains a reload that never came.
            throw new AssertionError(e.getMessage() + "; gateway output:\n" + gateway.output(), e);
        }
        // The log is written by its own thread (the async appender): the line may follow the reload by a moment.
        GatewayProcess reloaded = gateway;
        Await.until("the reload's log line", () -> reloaded.output()
                .contains("config reloaded from " + file + " (SIGHUP): 2 upstream(s)"), Duration.ofSeconds(10));

        Files.writeString(file, "upstreams:\n  - { name: first, base_url: 'ftp://nowhere' }\n  - { base_url: x }\n",
                StandardCharsets.UTF_8);
        gateway.signal("HUP");
        Await.until("the invalid file is refused", () -> gateway.output().contains("upstreams[1].name"),
                Duration.ofSeconds(20));
        assertThat(gateway.output().lines().filter(l -> l.contains("config reload (SIGHUP) refused")))
                .hasSize(2).anyMatch(l -> l.endsWith("upstreams[0].base_url: must be an http:// or https:// URL with"
                        + " a host"))
                .anyMatch(l -> l.endsWith("upstreams[1].name: is required"));
        assertThat(gateway.isAlive()).as("SIGHUP no longer stops the gateway").isTrue();
        assertThat(providers()).as("the running config stays").contains("\"first\"", "\"second\"");

        Response stream = gateway.streamWhileSignalled("TERM");
        assertThat(stream.complete).isTrue();
        assertThat(Sse.names(stream.bodyText())).last().isEqualTo("message_stop");
        assertThat(gateway.awaitExit(Duration.ofSeconds(30))).as("exit code after SIGTERM").isZero();
        assertThat(gateway.output()).contains("shutting down: draining", "claude-lb stopped")
                .doesNotContain("LEAK:", "Exception");
    }

    @Test
    void aGatewayStartedUnderNohupSaysSighupCannotReloadIt() throws Exception {
        Path file = dir.resolve("claude-lb.yaml");
        Files.writeString(file, config("first"), StandardCharsets.UTF_8);
        // nohup starts the launcher with SIGHUP ignored; the JVM then keeps it ignored, and a reload by signal
        // would silently do nothing: the gateway must say so at start.
        ProcessBuilder launcher = new ProcessBuilder("nohup", Path.of(System.getProperty("claude-lb.root"), "bin",
                "claude-lb").toString(), "serve", "--config", file.toString()).directory(dir.toFile());
        gateway = GatewayProcess.start(launcher, dir.resolve("gateway.log"));
        assertThat(gateway.output()).contains("SIGHUP is ignored by the process that started claude-lb",
                "reload with POST /reload (admin key) or run serve --watch instead");

        gateway.signal("HUP");
        gateway.signal("TERM");
        assertThat(gateway.awaitExit(Duration.ofSeconds(30))).as("SIGHUP did nothing, SIGTERM drained").isZero();
    }
}
