package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real Claude Code CLI ({@code claude -p}, npm's {@code @anthropic-ai/claude-code}, installed by
 * {@code src/test/scripts/claude-code.sh} when missing) completing a turn through claude-lb over loopback, once per
 * route: to an Anthropic upstream, to a Bedrock-only route (SigV4 checked by the mock, the event stream translated) and
 * to a Vertex-only route (a Google token from the mock's token endpoint). Its answer is the mock's deterministic text.
 * When the CLI cannot be installed the test fails: it never skips.
 */
class ClaudeCodeThroughProxyTest {
    private static final String KEY_ID = "AKIACLAUDECODE";
    private static final String SECRET = "claude/code+secret";
    private static final String MOCK_TEXT = "Hello from the claude-lb mock upstream.";
    private static final Duration TURN = Duration.ofSeconds(120);
    private static Path claude;

    @TempDir
    Path dir;
    private MockUpstream upstream;
    private ProxyServer proxy;

    @BeforeAll
    static void install() throws Exception {
        Process p = new ProcessBuilder("bash", "src/test/scripts/claude-code.sh", "target/claude-code")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("claude-code.sh finished").isTrue();
        assertThat(p.exitValue()).as("claude-code.sh exit status (its stderr is above)").isZero();
        claude = Path.of(out);
        assertThat(claude).isExecutable();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        upstream.close();
    }

    private void start(TestConfigs config, String upstreamName, String model) throws InterruptedException {
        proxy = ProxyServer.start(config.route(new RouteConfig("*",
                List.of(new TargetConfig(upstreamName, model, 0, 0)), Strategy.PRIORITY)).build(),
                NanoClock.SYSTEM, "test");
    }

    /** {@code claude -p "say hi"} against the proxy, with a home of its own; returns what it printed. */
    private String turn() throws IOException, InterruptedException {
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(claude.toString(), "-p", "say hi").directory(dir.toFile())
                .redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANTHROPIC_") || k.startsWith("CLAUDE_CODE_") || k.startsWith("AWS_"));
        env.put("HOME", home.toString());
        env.put("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + proxy.port());
        env.put("ANTHROPIC_API_KEY", "sk-ant-claude-code-test");
        env.put("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "1");
        env.put("DISABLE_AUTOUPDATER", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] printed = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(TURN.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = new String(printed, StandardCharsets.UTF_8);
        assertThat(ended).as("claude ended within " + TURN + "; it printed: " + out).isTrue();
        assertThat(p.exitValue()).as("claude's exit status; it printed: " + out).isZero();
        return out;
    }

    @Test
    void aTurnThroughAnAnthropicUpstream() throws Exception {
        upstream = MockUpstream.start(MockOptions.builder().name("anthropic").build());
        start(TestConfigs.proxy().anthropic("anthropic", upstream.baseUrl()), "anthropic", null);

        assertThat(turn()).contains(MOCK_TEXT);
        assertThat(upstream.requests()).isNotEmpty();
    }

    @Test
    void aTurnThroughABedrockOnlyRoute() throws Exception {
        upstream = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        upstream.cloud().acceptAwsKey(KEY_ID, SECRET, null);
        start(TestConfigs.proxy().bedrock("bedrock", upstream.baseUrl(), KEY_ID, SECRET), "bedrock",
                "global.anthropic.claude-sonnet-4-5-20250929-v1:0");

        assertThat(turn()).contains(MOCK_TEXT);
        assertThat(upstream.cloud().signaturesVerified()).isPositive();
        assertThat(upstream.cloud().signaturesRejected()).isZero();
    }

    @Test
    void aTurnThroughAVertexOnlyRoute() throws Exception {
        upstream = MockUpstream.start(MockOptions.builder().name("vertex").build());
        Path key = TestServiceAccount.write(upstream, dir);
        start(TestConfigs.proxy().vertex("vertex", upstream.baseUrl(), key), "vertex", "claude-sonnet-4-5@20250929");

        assertThat(turn()).contains(MOCK_TEXT);
        assertThat(upstream.cloud().googleTokensIssued()).isPositive();
    }
}
