package io.claudelb.core.config;

import java.util.Objects;

/**
 * {@code metrics:}: the Prometheus endpoint {@code GET /metrics}.
 *
 * @param enabled whether {@code /metrics} exists (off: it answers 404, and no per-request series are recorded)
 * @param token   a scrape token (Bearer or {@code x-api-key}) for callers beyond loopback; empty: loopback callers
 *                (and the admin key) only
 */
public record MetricsSettings(boolean enabled, Secret token) {
    public static final MetricsSettings DEFAULTS = new MetricsSettings(true, Secret.empty());

    public MetricsSettings {
        Objects.requireNonNull(token, "token");
    }
}
