package io.claudelb.server.dist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code [Service]} settings of an installed unit file that DebInstallIT needs to run the service the way systemd
 * would: the command lines, user, environment and directories. Enough of systemd's syntax for our own unit (one
 * setting per line, repeatable {@code Environment=}), not a general parser.
 */
record InstalledUnit(Map<String, List<String>> settings) {
    static InstalledUnit read(Path file) throws IOException {
        Map<String, List<String>> settings = new LinkedHashMap<>();
        String section = "";
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                section = line;
            } else if (section.equals("[Service]") && !line.isEmpty() && !line.startsWith("#")) {
                int eq = line.indexOf('=');
                settings.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>()).add(line.substring(eq + 1));
            }
        }
        return new InstalledUnit(settings);
    }

    String one(String key) {
        List<String> values = settings.getOrDefault(key, List.of());
        if (values.size() != 1) {
            throw new IllegalStateException(key + "= appears " + values.size() + " times in the unit");
        }
        return values.get(0);
    }

    /** A command line setting ({@code ExecStart}) split into words, {@code $MAINPID} replaced. */
    List<String> command(String key, long mainPid) {
        return List.of(one(key).replace("$MAINPID", Long.toString(mainPid)).split("\\s+"));
    }

    /**
     * The environment systemd gives the service: its own few variables, then {@code Environment=} lines, then the
     * {@code EnvironmentFile=} (a leading '-' means "if it exists").
     */
    Map<String, String> environment(String home) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin");
        env.put("LANG", "C.UTF-8");
        env.put("USER", one("User"));
        env.put("LOGNAME", one("User"));
        env.put("HOME", home);
        for (String assignment : settings.getOrDefault("Environment", List.of())) {
            put(env, assignment);
        }
        for (String file : settings.getOrDefault("EnvironmentFile", List.of())) {
            Path path = Path.of(file.startsWith("-") ? file.substring(1) : file);
            if (Files.exists(path) || !file.startsWith("-")) {
                for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                    if (!line.isBlank() && !line.strip().startsWith("#")) {
                        put(env, line.strip());
                    }
                }
            }
        }
        return env;
    }

    private static void put(Map<String, String> env, String assignment) {
        int eq = assignment.indexOf('=');
        env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
}
