package io.claudelb.core.config;

import java.util.Objects;

/**
 * The admin key ({@code admin.api_key}) that state-changing admin calls ({@code POST /reset}, reload) require.
 * Empty means those calls are refused; read-only endpoints follow the client-key rules.
 */
public record AdminSettings(Secret apiKey) {
    public static final AdminSettings DEFAULTS = new AdminSettings(Secret.empty());

    public AdminSettings {
        Objects.requireNonNull(apiKey, "apiKey");
    }
}
