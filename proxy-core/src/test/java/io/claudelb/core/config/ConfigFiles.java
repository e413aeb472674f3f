package io.claudelb.core.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Test helper: finds the repository's {@code config/} directory and the environment the shipped files need. */
final class ConfigFiles {
    /** Every variable config/claude-lb.yaml and config/examples/*.yaml require, with recognisable fake values. */
    static final Map<String, String> ENV = Map.of(
            "ALICE_KEY", "secret-alice-key-1",
            "DATABRICKS_TOKEN_EAST", "secret-dapi-east-2",
            "DATABRICKS_CLIENT_ID_WEST", "secret-client-id-3",
            "DATABRICKS_CLIENT_SECRET_WEST", "secret-client-secret-4",
            "ANTHROPIC_API_KEY", "secret-sk-ant-5",
            "RELAY_TOKEN", "secret-relay-6",
            "TOGETHER_API_KEY", "secret-together-7",
            "CLAUDE_LB_ADMIN_KEY", "secret-admin-8",
            "OPENROUTER_API_KEY", "secret-openrouter-9");

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

    static GatewayConfig load(String relative) throws java.io.IOException {
        Path file = configDir().resolve(relative);
        return ConfigLoader.parse(Files.readString(file), file.toString(), ENV);
    }
}
