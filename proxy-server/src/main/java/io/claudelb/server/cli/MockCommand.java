package io.claudelb.server.cli;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code claude-lb mock --port P}: the shipped Anthropic-compatible mock upstream, for trying claude-lb without
 * credentials and for load tests. Per-request behaviour can also be set with {@code x-mock-*} request headers.
 */
@Command(name = "mock", mixinStandardHelpOptions = true,
        description = "Run a mock Anthropic upstream (also answers the Databricks path .../anthropic/v1/messages).")
final class MockCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, paramLabel = "P", description = "Port to listen on (0 = any free).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--name", defaultValue = "mock", description = "Name shown in x-mock-upstream (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--ttfb-ms", defaultValue = "0", description = "Delay before the response head, ms.")
    long ttfbMs;

    @Option(names = "--pace-ms", defaultValue = "0", description = "Delay between SSE events, ms.")
    long paceMs;

    @Option(names = "--events", defaultValue = "8", description = "Text delta events per answer.")
    int events;

    @Option(names = "--text-bytes", defaultValue = "160", description = "Total text bytes per answer.")
    int textBytes;

    @Option(names = "--no-thinking", description = "Leave out the thinking block.")
    boolean noThinking;

    @Option(names = "--tool-use", description = "Add a tool_use block streamed as input_json_delta.")
    boolean toolUse;

    @Option(names = "--web-search", description = "Add a server_tool_use (web_search), its web_search_tool_result "
            + "and a citation on the text.")
    boolean webSearch;

    @Option(names = "--error-status", defaultValue = "0", description = "Answer every request with this status.")
    int errorStatus;

    @Option(names = "--retry-after", description = "retry-after header value sent with --error-status.")
    String retryAfter;

    @Option(names = "--in-band-error", description = "Send 200, message_start, then event: error (overloaded).")
    boolean inBandError;

    @Option(names = "--no-record", description = "Do not keep received requests in memory (load tests): "
            + "the same as --record-limit 0.")
    boolean noRecord;

    @Option(names = "--record-limit", defaultValue = "" + MockOptions.DEFAULT_RECORD_LIMIT,
            description = "Keep a copy of the newest N requests received (default: ${DEFAULT-VALUE}; 0 = none).")
    int recordLimit;

    @Option(names = "--io-threads", defaultValue = "0", description = "Event loops (0 = one per core).")
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

    /** The mock's options as the flags give them. */
    MockOptions options() {
        MockBehaviour.Builder behaviour = MockBehaviour.builder()
                .timeToFirstByte(Duration.ofMillis(ttfbMs))
                .pace(Duration.ofMillis(paceMs))
                .textEvents(events)
                .textBytes(textBytes)
                .thinking(!noThinking)
                .toolUse(toolUse)
                .webSearch(webSearch)
                .inBandError(inBandError);
        if (errorStatus > 0) {
            behaviour.errorStatus(errorStatus).retryAfter(retryAfter);
        }
        return MockOptions.builder().name(name).host(host).port(port)
                .behaviour(behaviour.build()).recordLimit(noRecord ? 0 : recordLimit).ioThreads(ioThreads).build();
    }
}
