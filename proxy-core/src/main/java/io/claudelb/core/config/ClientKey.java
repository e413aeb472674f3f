package io.claudelb.core.config;

/** A named client key ({@code clients[]}): the name shows in logs, stats and affinity; the key never does. */
public record ClientKey(String name, Secret key) {
    public ClientKey {
        Checks.notBlank("name", name);
        if (key == null || key.isEmpty()) {
            throw new ConfigException("key", "is required (client '" + name + "')");
        }
    }
}
