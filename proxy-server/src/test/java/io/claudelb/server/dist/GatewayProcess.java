package io.claudelb.server.dist;

import io.claudelb.server.support.Await;
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
