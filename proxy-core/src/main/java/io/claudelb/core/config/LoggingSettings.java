package io.claudelb.core.config;

/**
 * {@code logging:}.
 *
 * @param level     root level (error, warn, info, debug, trace)
 * @param jsonFile  path of an optional JSON-lines log file, or null
 * @param accessLog one line per request on the {@code claude-lb.access} logger
 */
public record LoggingSettings(String level, String jsonFile, boolean accessLog) {
    public static final LoggingSettings DEFAULTS = new LoggingSettings("info", null, true);

    public LoggingSettings {
        Checks.notBlank("level", level);
    }
}
