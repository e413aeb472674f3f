package io.claudelb.server.cli;

import io.claudelb.core.config.AdminSettings;
import io.claudelb.core.config.ConfigFormat;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import java.io.PrintWriter;
import io.claudelb.core.config.StorageSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code claude-lb demo}: the gateway on 127.0.0.1:8000 in front of two in-process mock Databricks workspaces, so a
 * new user can point Claude Code or curl at it with no credentials at all.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run claude-lb on 127.0.0.1:8000 in front of two in-process mock workspaces.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8000", description = "Gateway port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--pace-ms", defaultValue = "30", description = "Delay between the mock's SSE events, ms.")
    long paceMs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        MockBehaviour behaviour = MockBehaviour.builder().pace(Duration.ofMillis(paceMs)).textEvents(12).build();
        MockUpstream east = MockUpstream.start(MockOptions.builder().name("ws-east").behaviour(behaviour)
                .recordLimit(0).ioThreads(1).build());
        MockUpstream west = MockUpstream.start(MockOptions.builder().name("ws-west").behaviour(behaviour)
                .recordLimit(0).ioThreads(1).build());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            east.close();
            west.close();
        }, "demo-mocks-shutdown"));
        GatewayConfig config = new GatewayConfig(ConfigFormat.NATIVE,
                ServerSettings.DEFAULTS.withListen("127.0.0.1", port), AdminSettings.DEFAULTS, List.of(),
                List.of(workspace("ws-east", east), workspace("ws-west", west)), List.of(), null, null, null, null,
                null, List.of("demo: two mock Databricks workspaces, no client keys, loopback only"))
                .withStorage(StorageSettings.DEFAULTS.withUrl("jdbc:sqlite:" + demoDatabase()));
        PrintWriter out = spec.commandLine().getOut();
        String base = "http://127.0.0.1:" + port;
        out.println();
        out.println("claude-lb demo: two mock Databricks workspaces (ws-east " + east.baseUrl() + ", ws-west "
                + west.baseUrl() + ")");
        out.println("Point Claude Code or any Anthropic SDK at it:");
        out.println("  export ANTHROPIC_BASE_URL=" + base);
        out.println("  export ANTHROPIC_AUTH_TOKEN=demo   # any value: the demo has no client keys");
        out.println("Stream one answer with curl:");
        out.println("  curl -N " + base + "/v1/messages -H 'content-type: application/json' "
                + "-H 'anthropic-version: 2023-06-01' -d '{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":256,"
                + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
        out.println("See where it went: curl " + base + "/stats      Stop: Ctrl-C");
        out.println("What it cost, per model:  curl '" + base + "/usage?group_by=model'");
        out.println("  or, from another shell:  bin/claude-lb usage --url " + config.storage().url() + " --by model");
        out.println();
        out.flush();
        return ServeCommand.run(config);
    }

    /** The demo's usage database: a SQLite file in the temporary directory, kept between demo runs. */
    private static Path demoDatabase() {
        return Path.of(System.getProperty("java.io.tmpdir"), "claude-lb-demo", "usage.db").toAbsolutePath();
    }

    private static UpstreamConfig workspace(String name, MockUpstream mock) {
        return UpstreamConfig.builder(name, UpstreamKind.DATABRICKS).baseUrl(mock.baseUrl() + "/serving-endpoints")
                .auth(UpstreamAuth.bearer("demo-token-" + name)).countTokens(true).build();
    }
}
