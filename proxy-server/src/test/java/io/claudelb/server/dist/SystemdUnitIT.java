package io.claudelb.server.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * config/claude-lb.service, as systemd reads it: reload and stop behave (ExecReload sends SIGHUP, a SIGTERM stop is a
 * success), and its sandboxing keeps {@code systemd-analyze security}'s exposure under 2.0. The score is written to
 * target/systemd-analyze-security.txt and must be the one the README states. ({@code systemd-analyze verify} needs
 * the unit's commands in place: DebInstallIT runs it on the installed unit.)
 */
class SystemdUnitIT {
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for claude-lb\\.service: (\\d+\\.\\d)");
    private static final double GOAL = 2.0;

    private static Path unit() {
        return Shell.root().resolve("config/claude-lb.service");
    }

    @Test
    void reloadIsSighupAndAStopIsASuccess() throws Exception {
        String unit = Files.readString(unit(), StandardCharsets.UTF_8);
        assertThat(unit.lines()).contains(
                "ExecStart=/usr/bin/claude-lb serve --config /etc/claude-lb/claude-lb.yaml",
                "ExecReload=/bin/kill -HUP $MAINPID",
                "KillSignal=SIGTERM",
                "SuccessExitStatus=143",
                "RestartPreventExitStatus=2",
                "User=claude-lb",
                "StateDirectory=claude-lb");
    }

    @Test
    void exposureIsUnderTwoAndTheReadmeSaysWhatItIs() throws Exception {
        Shell.ensure("systemd-analyze=systemd");
        String report = Shell.ok("systemd-analyze", "security", "--offline=yes", "--no-pager", unit().toString());
        Files.writeString(Path.of("target", "systemd-analyze-security.txt"), report, StandardCharsets.UTF_8);
        Matcher m = EXPOSURE.matcher(report);
        assertThat(m.find()).as("an overall exposure in:%n%s", report).isTrue();
        double exposure = Double.parseDouble(m.group(1));
        assertThat(exposure).as("systemd-analyze security exposure").isLessThan(GOAL);
        String readme = Files.readString(Shell.root().resolve("README.md"), StandardCharsets.UTF_8);
        assertThat(readme).as("README records the unit's exposure").contains("exposure " + m.group(1));
    }
}
