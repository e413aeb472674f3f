package io.claudelb.core.config;

import java.time.Duration;

/** Range checks used by the config records' constructors; each failure is a {@link ConfigException}. */
final class Checks {
    private Checks() {
    }

    static void range(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
        }
    }

    static void positive(String key, long value) {
        if (value <= 0) {
            throw new ConfigException(key, "must be greater than 0, got " + value);
        }
    }

    static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new ConfigException(key, "must be a positive duration, got " + value);
        }
    }

    static void notNegative(String key, Duration value) {
        if (value == null || value.isNegative()) {
            throw new ConfigException(key, "must not be negative, got " + value);
        }
    }

    static void notBlank(String key, String value) {
        if (value == null || value.isBlank()) {
            throw new ConfigException(key, "is required");
        }
    }
}
