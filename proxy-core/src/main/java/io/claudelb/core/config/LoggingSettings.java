package io.claudelb.core.config;

/**
 * {@code logging:}: one destination (standard output, or a file rotated by size and by day) in one format.
 *
 * @param level        root level (error, warn, info, debug, trace)
 * @param format       text or JSON lines
 * @param file         path of the log file, or null for standard output
 * @param accessLog    one line per request on the {@code claude-lb.access} logger
 * @param maxFileBytes a file rolls over at this size (and at midnight)
 * @param maxHistory   rolled files are kept this many days
 * @param totalCap     rolled files together are kept under this many bytes (the oldest go first)
 */
public record LoggingSettings(String level, LogFormat format, String file, boolean accessLog, long maxFileBytes,
                              int maxHistory, long totalCap) {
    public static final LoggingSettings DEFAULTS = new LoggingSettings("info", LogFormat.TEXT, null, true,
            100L << 20, 14, 2L << 30);

    public LoggingSettings {
        Checks.notBlank("level", level);
        if (format == null) {
            throw new ConfigException("format", "is required");
        }
        if (file != null && file.isBlank()) {
            file = null;
        }
        Checks.range("max_file_size", maxFileBytes, 1024, Long.MAX_VALUE);
        Checks.range("max_history", maxHistory, 1, 3650);
        Checks.range("total_size_cap", totalCap, maxFileBytes, Long.MAX_VALUE);
    }

    /**
     * The defaults at {@code level}, with JSON lines to {@code jsonPath} when it is not null (seed B's
     * {@code log_level} and {@code log_file_path}).
     */
    static LoggingSettings of(String level, String jsonPath) {
        LoggingSettings d = DEFAULTS;
        return new LoggingSettings(level, jsonPath == null ? d.format : LogFormat.JSON, jsonPath, d.accessLog,
                d.maxFileBytes, d.maxHistory, d.totalCap);
    }
}
