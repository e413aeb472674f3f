package io.claudelb.server.dist;

import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway running as its own OS process (the launcher, or the installed unit's ExecStart): its output in a file,
 * the port it logged, POSIX signals sent with {@code kill}, its exit code. For the tests of what only a real process
 * shows: signal handling, exit codes, the packaged files.
 */
final class GatewayProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final Path output;

    private GatewayProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Starts {@code builder} with stdout and stderr into {@code output}; returns once it has logged its port. */
    static GatewayProcess start(ProcessBuilder builder, Path output) throws IOException {
        GatewayProcess p = new GatewayProcess(builder.redirectErrorStream(true).redirectOutput(output.toFile())
                .start(), output);
        Await.until("the gateway logs its port (output so far: " + output + ")",
                () -> p.port() > 0 || !p.process.isAlive(), Duration.ofSeconds(60));
        if (!p.process.isAlive()) {
            throw new IllegalStateException("the gateway exited with " + p.process.exitValue() + ":\n" + p.output());
        }
        return p;
    }

    int port() {
        Matcher m = LISTENING.matcher(output());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends {@code signal} ({@code HUP}, {@code TERM}) as {@code kill -s} would. */
    void signal(String signal) throws IOException, InterruptedException {
        Shell.ok("kill", "-s", signal, Long.toString(pid()));
    }

    /**
     * Starts a streaming request, sends {@code signal} once the first text arrived, and reads the stream to its end:
     * what a client sees when the gateway is stopped under it.
     */
    Response streamWhileSignalled(String signal, String... headers) throws IOException, InterruptedException {
        try (RawHttpClient client = RawHttpClient.connect(port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true), headers));
            Response response = client.readHead();
            client.readUntil(response, "\"text_delta\"");
            signal(signal);
            while (client.readChunk(response) != null) {
                // the rest of the stream, as it comes
            }
            return response;
        }
    }

    /** A config for this test's mock: listening on a free loopback port, one upstream per name, all to the mock. */
    static String mockConfig(MockUpstream mock, String clients, String... upstreams) {
        StringBuilder yaml = new StringBuilder("server: { listen: \"127.0.0.1:0\", shutdown_grace: 20s }\n")
                .append(clients).append("upstreams:\n");
        for (String name : upstreams) {
            yaml.append("  - { name: ").append(name).append(", base_url: \"").append(mock.baseUrl()).append("\" }\n");
        }
        return yaml.toString();
    }

    /** Waits for the process to end and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the gateway did not exit within " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
