package io.claudelb.server.routing;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Loads the repository's shipped config files for tests, with test environments and a free port. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static Path configDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("config/claude-lb.yaml"))) {
                return dir.resolve("config");
            }
        }
        throw new IllegalStateException("config/claude-lb.yaml not found above " + Path.of("").toAbsolutePath());
    }

    static String text(String relative) {
        try {
            return Files.readString(configDir().resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses YAML text with {@code env} and moves the listener to 127.0.0.1 on a free port. */
    static GatewayConfig parseOnFreePort(String yaml, String name, Map<String, String> env) {
        GatewayConfig c = ConfigLoader.parse(yaml, name, env);
        return c.withServer(c.server().withListen("127.0.0.1", 0));
    }
}
