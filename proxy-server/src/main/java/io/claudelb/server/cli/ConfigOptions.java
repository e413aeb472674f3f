package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --config}, {@code --host}, {@code --port}: shared by {@code serve} and the default command. The config
 * path is {@code --config}, else {@code $CONFIG_PATH} (seed A's variable), else {@code config/claude-lb.yaml} in the
 * working directory, else the one beside the launcher ({@code $CLAUDE_LB_HOME/config}, the unpacked .tar.gz), else
 * the .deb's {@code /etc/claude-lb/claude-lb.yaml}.
 */
final class ConfigOptions {
    private static final Path INSTALLED = Path.of("/etc/claude-lb/claude-lb.yaml");

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config file (default: $CONFIG_PATH, "
            + "else config/claude-lb.yaml here or in $CLAUDE_LB_HOME, else /etc/claude-lb/claude-lb.yaml).")
    Path config;

    @Option(names = "--host", paramLabel = "H", description = "Listen address (overrides server.listen).")
    String host;

    @Option(names = "--port", paramLabel = "P", description = "Listen port (overrides server.listen).")
    Integer port;

    @Option(names = "--watch", description = "Reload the config when the file changes (also: POST /reload with the admin key).")
    boolean watch;

    Path resolve() {
        if (config != null) {
            return config;
        }
        String env = System.getenv("CONFIG_PATH");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path local = Path.of("config", "claude-lb.yaml");
        if (Files.exists(local)) {
            return local;
        }
        String home = System.getenv("CLAUDE_LB_HOME");
        if (home != null && !home.isBlank() && Files.exists(Path.of(home, "config", "claude-lb.yaml"))) {
            return Path.of(home, "config", "claude-lb.yaml");
        }
        return Files.exists(INSTALLED) ? INSTALLED : local;
    }

    GatewayConfig load() {
        GatewayConfig loaded = ConfigLoader.load(resolve());
        if (host == null && port == null) {
            return loaded;
        }
        return Configs.withListen(loaded, host != null ? host : loaded.server().host(),
                port != null ? port : loaded.server().port());
    }
}
