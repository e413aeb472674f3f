package io.claudelb.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How claude-lb treats one {@code databricks} workspace ({@code upstreams[].databricks}).
 *
 * @param discover     list the workspace's serving endpoints at start and every {@code refreshEvery}, so a
 *                     requested model goes to the exact version the workspace serves, else to the newest of its
 *                     family; YAML {@code discover}
 * @param api          which Anthropic API of the workspace to call; YAML {@code api}
 * @param refreshEvery how often the endpoint list is read again; YAML {@code refresh}
 */
public record DatabricksSettings(boolean discover, DatabricksApi api, Duration refreshEvery) {
    /** Discovery on every 5 minutes, the serving-endpoints API. */
    public static final DatabricksSettings DEFAULTS = new DatabricksSettings(true, DatabricksApi.SERVING_ENDPOINTS,
            Duration.ofMinutes(5));
    /** The path suffix of a workspace base URL that names its serving endpoints (seed A's style). */
    static final String SERVING_ENDPOINTS_SUFFIX = "/serving-endpoints";

    public DatabricksSettings {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(refreshEvery, "refresh");
        if (refreshEvery.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new ConfigException("refresh", "must be at least 10s, got " + Durations.format(refreshEvery));
        }
    }

    /**
     * The workspace root's path for a base URL path: {@code /serving-endpoints} at its end (seed A's style) is
     * dropped, so both {@code https://adb-1.azuredatabricks.net} and {@code .../serving-endpoints} name the workspace.
     */
    public static String workspacePath(String basePath) {
        return basePath.endsWith(SERVING_ENDPOINTS_SUFFIX)
                ? basePath.substring(0, basePath.length() - SERVING_ENDPOINTS_SUFFIX.length()) : basePath;
    }
}
