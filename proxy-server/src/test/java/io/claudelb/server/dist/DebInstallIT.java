package io.claudelb.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .deb on this machine, as an operator uses it: {@code dpkg -i}, the files, user and modes it sets up,
 * {@code systemd-analyze verify} on the installed unit, then the service run the way systemd runs it (the unit's
 * ExecStart as its User= with its environment file and mount sandbox, see run-as-unit.sh) against the mock: a
 * request relayed with a client key from /etc/claude-lb/env, ExecReload after an edit of the conffile, the
 * KillSignal with a stream running (it finishes, exit 0). Then {@code dpkg -r} keeps only the conffile and the user,
 * and {@code dpkg --purge} leaves nothing.
 *
 * <p>Installs into the machine's own root, which needs root (CI runs as root): a scratch root ({@code dpkg --root})
 * would run the maintainer scripts chrooted into an empty tree, with no adduser, shell or Java to run them with.
 */
class DebInstallIT {
    private static final String PACKAGE = "claude-lb";
    private static final String UNIT = "/lib/systemd/system/claude-lb.service";
    private static final String CONFIG = "/etc/claude-lb/claude-lb.yaml";
    private static final String CLIENT_KEY = "secret-ops-key-from-env-file";
    private static final List<String> PACKAGE_PATHS = List.of("/usr/bin/claude-lb", "/usr/share/claude-lb",
            "/usr/share/doc/claude-lb", UNIT, "/etc/claude-lb", "/var/lib/claude-lb", "/var/log/claude-lb");

    @TempDir
    Path dir;

    @Test
    void installsRunsLikeTheUnitReloadsStopsAndPurgesClean() throws Exception {
        assertThat(Shell.ok("id", "-u").strip()).as("dpkg -i needs root (CI runs as root)").isEqualTo("0");
        Shell.ensure("dpkg=dpkg", "adduser=adduser", "setpriv=util-linux", "unshare=util-linux",
                "systemd-analyze=systemd");
        purge(); // a run that was killed half-way may have left it installed
        MockUpstream mock = MockUpstream.start(MockOptions.builder().name("mock").ioThreads(1)
                .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(50)).textEvents(20).build()).build());
        GatewayProcess gateway = null;
        try {
            dpkg("-i", System.getProperty("claude-lb.deb"));
            assertInstalled();
            String verify = Shell.ok("systemd-analyze", "verify", UNIT);
            assertThat(verify).as("systemd-analyze verify " + UNIT).doesNotContain("claude-lb.service");
            assertThat(Shell.ok("/usr/bin/claude-lb", "--version").strip()).startsWith("claude-lb ");
            assertTheShippedConfigChecksOut();

            // What an operator does next: point the config at an upstream, put its secret in the env file.
            Files.writeString(Path.of("/etc/claude-lb/env"), "OPS_KEY=" + CLIENT_KEY + "\n", StandardCharsets.UTF_8);
            Shell.ok("chown", "root:claude-lb", "/etc/claude-lb/env");
            Shell.ok("chmod", "0640", "/etc/claude-lb/env");
            Files.writeString(Path.of(CONFIG), config(mock, "first"), StandardCharsets.UTF_8);

            InstalledUnit unit = InstalledUnit.read(Path.of(UNIT));
            gateway = startLikeSystemd(unit);
            String status = Files.readString(Path.of("/proc/" + gateway.pid() + "/status"));
            String uid = Shell.ok("id", "-u", unit.one("User")).strip();
            assertThat(status).as("the JVM runs as the unit's user, without capabilities or new privileges")
                    .containsPattern("(?m)^Uid:\\s+" + uid + "\\s").containsPattern("(?m)^CapEff:\\s+0+$")
                    .containsPattern("(?m)^CapBnd:\\s+0+$").containsPattern("(?m)^NoNewPrivs:\\s+1$");
            Response relayed = RawHttpClient.exchange(gateway.port(), RawHttpClient.post("/v1/messages",
                    Requests.messages("claude-sonnet-4-5", false), "x-api-key: " + CLIENT_KEY));
            assertThat(relayed.status).isEqualTo(200);
            assertThat(relayed.upstream()).isEqualTo("first");
            // What the operator's Prometheus and log shipper read: /metrics from loopback, typed JSON access lines.
            // The request is counted when its exchange ends, a moment after the client has its answer.
            GatewayProcess serving = gateway;
            Await.until("the request in /metrics", () -> RawHttpClient.exchange(serving.port(),
                    RawHttpClient.get("/metrics")).bodyText().contains("claude_lb_requests_total{"),
                    Duration.ofSeconds(10));
            Response scraped = RawHttpClient.exchange(gateway.port(), RawHttpClient.get("/metrics"));
            assertThat(scraped.status).isEqualTo(200);
            assertThat(scraped.bodyText()).contains("claude_lb_requests_total{", "client=\"ops\"",
                    "gen_ai_server_time_to_first_token_seconds_bucket{", "claude_lb_proxy_overhead_seconds_bucket{");
            String id = relayed.header("x-claude-lb-request-id");
            Await.until("a typed JSON access line for " + id, () -> serving.output().lines().anyMatch(line ->
                    line.startsWith("{") && line.contains("\"request_id\":\"" + id + "\"")
                            && line.contains("\"status\":200")), Duration.ofSeconds(10));

            Files.writeString(Path.of(CONFIG), config(mock, "first", "second"), StandardCharsets.UTF_8);
            Shell.ok(unit.command("ExecReload", gateway.pid()).toArray(String[]::new));
            GatewayProcess running = gateway;
            Await.until("ExecReload reloads the config", () -> providers(running).contains("\"second\""),
                    Duration.ofSeconds(20));

            Response stream = gateway.streamWhileSignalled(unit.one("KillSignal").replaceFirst("^SIG", ""),
                    "x-api-key: " + CLIENT_KEY);
            assertThat(Sse.names(stream.bodyText())).last().isEqualTo("message_stop");
            assertThat(gateway.awaitExit(Duration.ofSeconds(40))).as("exit code on the unit's KillSignal").isZero();
            assertThat(gateway.output()).contains("claude-lb stopped").doesNotContain(CLIENT_KEY);

            dpkg("-r", PACKAGE);
            assertThat(Path.of("/usr/bin/claude-lb")).doesNotExist();
            assertThat(Path.of("/usr/share/claude-lb")).doesNotExist();
            assertThat(Path.of(UNIT)).doesNotExist();
            assertThat(Path.of(CONFIG)).as("remove keeps the conffile").exists();
            assertThat(Shell.run("getent", "passwd", "claude-lb").code()).as("remove keeps the user").isZero();

            dpkg("--purge", PACKAGE);
            for (String path : PACKAGE_PATHS) {
                assertThat(Path.of(path)).as("after purge").doesNotExist();
            }
            assertThat(Shell.run("getent", "passwd", "claude-lb").code()).as("purge removes the user").isEqualTo(2);
            assertThat(Shell.run("getent", "group", "claude-lb").code()).as("purge removes the group").isEqualTo(2);
            assertThat(Shell.run("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE).output())
                    .doesNotContain("installed", "config-files");
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            mock.close();
            purge();
        }
    }

    private static void assertInstalled() throws Exception {
        for (String path : List.of("/usr/bin/claude-lb", "/usr/share/claude-lb/claude-lb.jar", CONFIG, UNIT,
                "/usr/share/doc/claude-lb/README.md")) {
            assertThat(Path.of(path)).exists();
        }
        assertThat(Shell.ok("dpkg-query", "-W", "-f=${Conffiles}", PACKAGE)).contains(CONFIG);
        String[] user = Shell.ok("getent", "passwd", "claude-lb").strip().split(":");
        assertThat(Integer.parseInt(user[2])).as("a system uid").isLessThan(1000);
        assertThat(user[5]).isEqualTo("/var/lib/claude-lb");
        assertThat(Shell.ok("stat", "-c", "%U:%G %a", "/var/lib/claude-lb").strip()).isEqualTo("claude-lb:claude-lb 750");
        assertThat(Shell.ok("stat", "-c", "%U:%G %a", CONFIG).strip()).isEqualTo("root:claude-lb 640");
    }

    private void assertTheShippedConfigChecksOut() throws Exception {
        // The conffile as shipped, with its secrets' variables set, is valid and has no unreachable route.
        ProcessBuilder check = new ProcessBuilder("/usr/bin/claude-lb", "check-config", CONFIG)
                .redirectErrorStream(true).redirectOutput(dir.resolve("check.txt").toFile());
        for (String var : List.of("ALICE_KEY", "DATABRICKS_TOKEN_EAST", "DATABRICKS_CLIENT_ID_WEST",
                "DATABRICKS_CLIENT_SECRET_WEST", "ANTHROPIC_API_KEY", "RELAY_TOKEN", "OPENROUTER_API_KEY")) {
            check.environment().put(var, "secret-" + var);
        }
        int code = check.start().waitFor();
        String out = Files.readString(dir.resolve("check.txt"));
        assertThat(code).as(out).isZero();
        assertThat(out).contains("OK: " + CONFIG + " is valid.").doesNotContain("warning", "secret-");
    }

    private static String config(MockUpstream mock, String... upstreams) {
        return GatewayProcess.mockConfig(mock, "clients: [ { name: ops, key: \"${OPS_KEY}\" } ]\n"
                + "logging: { format: json }\n", upstreams);
    }

    private static String providers(GatewayProcess gateway) {
        return RawHttpClient.exchange(gateway.port(), RawHttpClient.get("/providers", "x-api-key: " + CLIENT_KEY))
                .bodyText();
    }

    /** The unit's ExecStart, as its User= with its environment, directories and mount sandbox (run-as-unit.sh). */
    private GatewayProcess startLikeSystemd(InstalledUnit unit) throws Exception {
        String user = unit.one("User");
        String state = "/var/lib/" + unit.one("StateDirectory");
        String logs = "/var/log/" + unit.one("LogsDirectory");
        // What systemd does for StateDirectory= and LogsDirectory= before starting the service.
        Shell.ok("install", "-d", "-o", user, "-g", unit.one("Group"), "-m", unit.one("StateDirectoryMode"), state);
        Shell.ok("install", "-d", "-o", user, "-g", unit.one("Group"), "-m", unit.one("LogsDirectoryMode"), logs);
        Path script = dir.resolve("run-as-unit.sh");
        try (InputStream in = DebInstallIT.class.getResourceAsStream("run-as-unit.sh")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> command = new ArrayList<>(List.of(script.toString(), user, unit.one("Group"), unit.one("UMask"),
                unit.one("WorkingDirectory"), state, logs, "--"));
        command.addAll(unit.command("ExecStart", 0));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
        builder.environment().clear();
        builder.environment().putAll(unit.environment(state));
        return GatewayProcess.start(builder, dir.resolve("journal.txt"));
    }

    private static void dpkg(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dpkg"));
        command.addAll(List.of(args));
        // Another dpkg or apt on a shared machine holds the lock for a while: wait for it (up to 5 minutes).
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            Shell.Result r = Shell.run(command.toArray(String[]::new));
            if (r.code() == 0) {
                return;
            }
            if (!r.output().contains("lock") || System.nanoTime() > deadline) {
                throw new IllegalStateException(String.join(" ", command) + " exited " + r.code() + ":\n" + r.output());
            }
            Thread.sleep(2_000); // waiting out another process's lock, not synchronising with our own code
        }
    }

    private static void purge() throws IOException, InterruptedException {
        if (!Shell.run("dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE).output().isBlank()) {
            dpkg("--purge", PACKAGE);
        }
    }
}
