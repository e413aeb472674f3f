package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.ConfigFormat;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.cli.Main;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seed A user keeps their {@code config.yaml}: the shipped example loads unchanged through the CLI, and a file of
 * that shape pointed at two mock workspaces serves requests with seed A's model mapping, also when it is found
 * through {@code CONFIG_PATH} as seed A found it.
 */
class SeedAConfigTest {
    private static final Path SEED_A_EXAMPLE = Path.of("..", "config", "examples", "seed-a-config.yaml");
    private static final String CLIENT_KEY = "seed-a-team-key";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private MockUpstream wsA;
    private MockUpstream wsB;
    private ProxyServer proxy;
    private Process process;

    @BeforeEach
    void startWorkspaces() {
        wsA = MockUpstream.start(MockOptions.builder().name("mock-a").ioThreads(1).build());
        wsB = MockUpstream.start(MockOptions.builder().name("mock-b").ioThreads(1).build());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        wsA.close();
        wsB.close();
    }

    @Test
    void shippedSeedAExampleLoadsUnchanged() {
        assertThat(SEED_A_EXAMPLE).exists();
        assertThat(Main.run("check-config", SEED_A_EXAMPLE.toString())).isZero();

        StringWriter out = new StringWriter();
        assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "check-config",
                SEED_A_EXAMPLE.toString())).isZero();
        assertThat(out.toString()).contains("workspace-1", "workspace-2", "databricks-claude-opus-4-5");
        assertThat(out.toString()).doesNotContain("dapi_xxx", "dapi_yyy", "your-api-key");

        GatewayConfig config = ConfigLoader.load(SEED_A_EXAMPLE);
        assertThat(config.format()).isEqualTo(ConfigFormat.SEED_A);
        assertThat(config.upstreams()).extracting(UpstreamConfig::name).containsExactly("workspace-1", "workspace-2");
        assertThat(config.upstreams()).extracting(UpstreamConfig::kind).containsOnly(UpstreamKind.DATABRICKS);
        assertThat(config.upstreams()).extracting(u -> u.auth().type()).containsOnly(AuthType.BEARER);
        assertThat(config.upstreams().get(0).messagesPath()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(config.clients()).hasSize(1);
        assertThat(config.clients().get(0).key().matches("your-api-key".getBytes(StandardCharsets.UTF_8))).isTrue();
    }

    @Test
    void seedAShapedConfigServesWithSeedAModelMapping() throws Exception {
        GatewayConfig config = TestConfigs.onFreePort(ConfigLoader.load(seedAConfig()));
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");

        Map<String, String> mapping = Map.of(
                "claude-opus-4-5-20251101", "databricks-claude-opus-4-5",
                "claude-sonnet-4-5-20250929", "databricks-claude-sonnet-4-5",
                "claude-3-5-haiku-latest", "databricks-claude-haiku-4-5",
                "databricks-claude-haiku-4-5", "databricks-claude-haiku-4-5",
                "gpt-4o", "databricks-claude-sonnet-4-5");
        for (Map.Entry<String, String> e : mapping.entrySet()) {
            assertRelayedWithModel(proxy.port(), e.getKey(), e.getValue());
        }
        // round_robin really rotates (seed A always picked the first endpoint): both workspaces served.
        assertThat(wsA.requests()).isNotEmpty();
        assertThat(wsB.requests()).isNotEmpty();
    }

    @Test
    void serveFindsTheConfigThroughConfigPath() throws Exception {
        Path config = seedAConfig();
        Path output = dir.resolve("serve.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A fresh JVM, because CONFIG_PATH is read from the environment; its working directory has no
        // config/claude-lb.yaml, so only CONFIG_PATH can lead it to the file.
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--port", "0")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("CONFIG_PATH", config.toString());
        builder.environment().remove("CLAUDE_LB_HOME");
        process = builder.start();

        Await.until("the served gateway logs its port", () -> port(output) > 0 || !process.isAlive(),
                Duration.ofSeconds(30));
        assertThat(process.isAlive()).as("serve is running; its output: %s", read(output)).isTrue();

        assertRelayedWithModel(port(output), "claude-opus-4-5", "databricks-claude-opus-4-5");

        process.destroy();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("serve stops on SIGTERM").isTrue();
        assertThat(read(output)).contains("workspace-a", "claude-lb stopped");
    }

    private void assertRelayedWithModel(int port, String requested, String expected) {
        int before = wsA.requests().size() + wsB.requests().size();
        // One session per request: session affinity would otherwise keep one caller on one workspace.
        Response response = RawHttpClient.exchange(port, RawHttpClient.post("/v1/messages",
                Requests.messages(requested, false), "x-api-key: " + CLIENT_KEY,
                "anthropic-version: 2023-06-01", "x-claude-code-session-id: session-" + requested));
        assertThat(response.status).as("status for %s", requested).isEqualTo(200);
        assertThat(Json.field(response.bodyText(), "model")).isEqualTo(expected);

        assertThat(wsA.requests().size() + wsB.requests().size()).isEqualTo(before + 1);
        String upstream = response.header("x-claude-lb-upstream");
        MockUpstream served = upstream.equals("workspace-a") ? wsA : wsB;
        RecordedRequest sent = served.requests().get(served.requests().size() - 1);
        assertThat(sent.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(sent.header("authorization")).isEqualTo("Bearer dapi-" + upstream);
        assertThat(sent.header("x-api-key")).isNull();
        assertThat(sent.bodyText()).isEqualTo(Requests.messages(requested, false)
                .replace("\"model\":\"" + requested + "\"", "\"model\":\"" + expected + "\""));
    }

    /** A config.yaml in seed A's documented shape, its endpoints pointing at the two mock workspaces. */
    private Path seedAConfig() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "load_balancer:\n"
                + "  strategy: round_robin\n"
                + "  circuit_breaker_threshold: 5\n"
                + "  circuit_breaker_timeout: 60\n"
                + "\n"
                + "auth:\n"
                + "  api_key: " + CLIENT_KEY + "\n"
                + "\n"
                + "endpoints:\n"
                + "  - name: workspace-a\n"
                + "    api_base: " + wsA.baseUrl() + "/serving-endpoints\n"
                + "    token: dapi-workspace-a\n"
                + "    weight: 1\n"
                + "\n"
                + "  - name: workspace-b\n"
                + "    api_base: " + wsB.baseUrl() + "/serving-endpoints\n"
                + "    token: dapi-workspace-b\n"
                + "    weight: 1\n", StandardCharsets.UTF_8);
        return file;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int port(Path output) {
        Matcher m = LISTENING.matcher(read(output));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
