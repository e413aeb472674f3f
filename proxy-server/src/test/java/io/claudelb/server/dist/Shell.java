package io.claudelb.server.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Commands the packaging tests run (dpkg, systemd-analyze, kill), and the project's installer for missing ones. */
final class Shell {
    /** What a command printed (stdout and stderr together) and its exit code. */
    record Result(int code, String output) {
    }

    private Shell() {
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish:\n" + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** Runs {@code command} and returns its output; fails unless it exits 0. */
    static String ok(String... command) throws IOException, InterruptedException {
        Result r = run(command);
        if (r.code() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.code() + ":\n" + r.output());
        }
        return r.output();
    }

    /** The repository's root directory (the failsafe configuration passes it). */
    static Path root() {
        return Path.of(System.getProperty("claude-lb.root")).toAbsolutePath().normalize();
    }

    /** Installs the Debian packages of the missing commands ({@code "systemd-analyze=systemd"}) with .ci/apt-install. */
    static void ensure(String... commandsAndPackages) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", root().resolve(".ci/apt-install").toString()));
        command.addAll(List.of(commandsAndPackages));
        ok(command.toArray(String[]::new));
    }
}
