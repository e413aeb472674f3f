package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: --version, --help, and check-config's exit codes and one-line error messages. */
class CliTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void versionPrintsTheNameAndExitsZero() {
        Run r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("claude-lb ");
        assertThat(r.err()).isEmpty();
        assertThat(Main.run("--version")).isZero();
    }

    @Test
    void helpListsTheCommandsAndExitsZero() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("serve", "demo", "mock", "check-config", "--config", "--port");
        assertThat(Main.run("--help")).isZero();
    }

    @Test
    void checkConfigOfAValidFileExitsZeroAndShowsTheUpstreams() throws IOException {
        Path file = write("upstreams:\n"
                + "  - name: ws-east\n"
                + "    kind: databricks\n"
                + "    base_url: https://adb-1.azuredatabricks.net/serving-endpoints\n"
                + "    auth: { type: bearer, token: dapi-secret-east }\n");
        Run r = run("check-config", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("ws-east", "OK:");
        assertThat(r.out()).doesNotContain("dapi-secret-east");
    }

    @Test
    void checkConfigOfABadFileExitsTwoWithOneLineNamingTheKey() throws IOException {
        Path file = write("upstreams:\n"
                + "  - name: ws-east\n"
                + "    kind: databricks\n"
                + "    base_url: ftp://adb-1.azuredatabricks.net\n"
                + "    auth: { type: bearer, token: dapi-secret-east }\n");
        Run r = run("check-config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("claude-lb: config error: ").contains("upstreams[0].base_url");
        assertThat(r.err()).doesNotContain("dapi-secret-east", "Exception", "\tat ");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void checkConfigListsEveryErrorOnItsOwnLineInOneRun() throws IOException {
        Path file = write("upstreams:\n"
                + "  - { name: a, base_url: 'ftp://h', weight: many, auth: { type: bearer, token: dapi-secret-a } }\n"
                + "  - { name: b, base_url: 'http://h:2', auth: { type: bearer, token: '${CLI_TEST_UNSET_1}' } }\n"
                + "  - { name: c, base_url: '${CLI_TEST_UNSET_2}' }\n"
                + "balancing: { strategy: fastest }\n"
                + "servr: {}\n");
        Run r = run("check-config", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).allMatch(l -> l.startsWith("claude-lb: config error: ")).containsExactly(
                "claude-lb: config error: servr: unknown key; did you mean 'server'?",
                "claude-lb: config error: upstreams[0].weight: expected a whole number, got 'many'",
                "claude-lb: config error: upstreams[0].base_url: must be an http:// or https:// URL with a host",
                "claude-lb: config error: upstreams[1].auth.token: is required for auth type bearer (environment "
                        + "variable CLI_TEST_UNSET_1 is not set)",
                "claude-lb: config error: upstreams[2].base_url: is empty (environment variable CLI_TEST_UNSET_2 is "
                        + "not set)",
                "claude-lb: config error: balancing.strategy: unknown value 'fastest'; expected one of "
                        + "least_requests, round_robin, random, priority");
        assertThat(r.err()).doesNotContain("dapi-secret-a");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void checkConfigWarnsAboutRoutesAfterACatchAllAndUnusedUpstreams() throws IOException {
        Path file = write("upstreams:\n"
                + "  - { name: a, base_url: 'http://h:1' }\n"
                + "  - { name: spare, base_url: 'http://h:2' }\n"
                + "routes:\n"
                + "  - { match: '*', targets: [ { upstream: a } ] }\n"
                + "  - { match: 'claude-opus-*', targets: [ { upstream: spare } ] }\n");
        Run r = run("check-config", file.toString());
        assertThat(r.code()).isZero();
        assertThat(r.err().strip().lines()).containsExactly(
                "claude-lb: warning: route 'claude-opus-*' is never used: it comes after the catch-all route '*' "
                        + "(the first matching route wins)",
                "claude-lb: warning: upstream 'spare' gets no request: no reachable route has it as a target");
        assertThat(r.out()).contains("OK: " + file + " is valid, with 2 warnings.");
    }

    @Test
    void checkConfigOfAMissingFileExitsTwo() {
        Run r = run("check-config", dir.resolve("nope.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("nope.yaml", "file not found");
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = run("--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--no-such-option");
    }

    private Path write(String yaml) throws IOException {
        Path file = dir.resolve("claude-lb.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return file;
    }
}
