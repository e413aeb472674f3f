package io.claudelb.core.config;

/** How claude-lb authenticates itself to an upstream. */
public enum AuthType {
    /** {@code x-api-key: <token>}. */
    API_KEY,
    /** {@code Authorization: Bearer <token>} (seed B's {@code auth_token}). */
    BEARER,
    /** The caller's own {@code x-api-key} / {@code Authorization} is forwarded unchanged. */
    PASSTHROUGH,
    /** Databricks OAuth machine-to-machine: client id + secret against {@code {workspace}/oidc/v1/token}. */
    DATABRICKS_OAUTH,
    /** An operator-supplied refresh token exchanged at a token URL; rotated refresh tokens are kept. */
    OAUTH_REFRESH,
    /** No credential (a local relay or the mock). */
    NONE;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
