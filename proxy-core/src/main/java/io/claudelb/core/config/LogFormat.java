package io.claudelb.core.config;

import java.util.Locale;

/** How log lines are written ({@code logging.format}). */
public enum LogFormat {
    /** One readable line per event, for people and the journal. */
    TEXT,
    /** One JSON object per line, every access-log field a typed top-level member, for log pipelines. */
    JSON;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
