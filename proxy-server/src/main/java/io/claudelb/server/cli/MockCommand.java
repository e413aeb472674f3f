package io.claudelb.server.cli;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code claude-lb mock --port P}: the shipped Anthropic-compatible mock upstream, for trying claude-lb without
 * credentials and for load tests. Per-request behaviour can also be set with {@code x-mock-*} request headers.
 */
@Command(name = "mock", mixinStandardHelpOptions = true, defaultValueProvider = MockCommand.MockDefaults.class,
        description = "Run a mock Anthropic upstream (also answers the Databricks path .../anthropic/v1/messages).")
final class MockCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "P", description = "Port to listen on (0 = any free).")
    int port;

    @Option(names = "--host", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--name", description = "Name shown in x-mock-upstream (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--ttfb-ms", description = "Delay before the response head, ms.")
    long ttfbMs;

    @Option(names = "--pace-ms", description = "Delay between SSE events, ms.")
    long paceMs;

    @Option(names = "--events", description = "Text delta events per answer (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--text-bytes", description = "Total text bytes per answer (default: ${DEFAULT-VALUE}).")
    int textBytes;

    @Option(names = "--no-thinking", description = "Leave out the thinking block.")
    boolean noThinking;

    @Option(names = "--tool-use", description = "Add a tool_use block streamed as input_json_delta.")
    boolean toolUse;

    @Option(names = "--web-search", description = "Add a server_tool_use (web_search), its web_search_tool_result "
            + "and a citation on the text.")
    boolean webSearch;

    @Option(names = "--error-status", description = "Answer every request with this status.")
    int errorStatus;

    @Option(names = "--retry-after", description = "retry-after header value sent with --error-status.")
    String retryAfter;

    @Option(names = "--in-band-error", description = "Send 200, message_start, then event: error (overloaded).")
    boolean inBandError;

    @Option(names = "--no-record", description = "Do not keep received requests in memory (load tests): "
            + "the same as --record-limit 0.")
    boolean noRecord;

    @Option(names = "--record-limit",
            description = "Keep a copy of the newest N requests received (default: ${DEFAULT-VALUE}; 0 = none).")
    int recordLimit;

    @Option(names = "--io-threads", description = "Event loops (0 = one per core).")
    int ioThreads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        MockOptions options = options();
        try (MockUpstream mock = MockUpstream.start(options)) {
            spec.commandLine().getOut().println("mock upstream '" + name + "' listening on " + mock.baseUrl());
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(mock::close, "mock-shutdown"));
            mock.awaitClosed();
        }
        return 0;
    }

    /** The mock's options as the flags give them: a flag left out leaves the mock's default. */
    MockOptions options() {
        MockBehaviour.Builder behaviour = MockBehaviour.builder()
                .timeToFirstByte(Duration.ofMillis(ttfbMs))
                .pace(Duration.ofMillis(paceMs))
                .textEvents(events)
                .textBytes(textBytes);
        if (noThinking) {
            behaviour.thinking(false);
        }
        if (toolUse) {
            behaviour.toolUse(true);
        }
        if (webSearch) {
            behaviour.webSearch(true);
        }
        if (inBandError) {
            behaviour.inBandError(true);
        }
        if (errorStatus > 0) {
            behaviour.errorStatus(errorStatus).retryAfter(retryAfter);
        }
        return MockOptions.builder().name(name).host(host).port(port)
                .behaviour(behaviour.build()).recordLimit(noRecord ? 0 : recordLimit).ioThreads(ioThreads).build();
    }

    /**
     * The defaults of the flags that take a value, read from {@link MockOptions#defaults()} instead of repeated in
     * {@code defaultValue}s, so the mock's defaults stay declared once (in its builders) and help shows them.
     */
    static final class MockDefaults implements IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (!(arg instanceof OptionSpec option)) {
                return null;
            }
            MockOptions options = MockOptions.defaults();
            MockBehaviour behaviour = options.behaviour();
            return switch (option.longestName()) {
                case "--host" -> options.host();
                case "--name" -> options.name();
                case "--ttfb-ms" -> String.valueOf(behaviour.timeToFirstByte().toMillis());
                case "--pace-ms" -> String.valueOf(behaviour.pace().toMillis());
                case "--events" -> String.valueOf(behaviour.textEvents());
                case "--text-bytes" -> String.valueOf(behaviour.textBytes());
                case "--error-status" -> String.valueOf(behaviour.errorStatus());
                case "--record-limit" -> String.valueOf(options.recordLimit());
                case "--io-threads" -> String.valueOf(options.ioThreads());
                default -> null;
            };
        }
    }
}
