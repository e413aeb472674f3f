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
    NONE,
    /**
     * AWS SigV4 with static keys ({@code access_key_id}, {@code secret_access_key}, optional {@code session_token}),
     * optionally exchanged for an assumed role ({@code role_arn}); {@code bedrock} upstreams only.
     */
    AWS,
    /**
     * AWS SigV4 with the SDK's default credential chain (environment, profile file, web identity, container and
     * instance metadata), optionally exchanged for an assumed role; {@code bedrock} upstreams only.
     */
    AWS_DEFAULT,
    /** A Google service-account key file ({@code key_file}) exchanged for access tokens; {@code vertex} only. */
    GOOGLE_SERVICE_ACCOUNT,
    /** Google's Application Default Credentials; {@code vertex} upstreams only. */
    GOOGLE_DEFAULT;

    /** Whether requests are signed with AWS SigV4 ({@link #AWS}, {@link #AWS_DEFAULT}). */
    public boolean aws() {
        return this == AWS || this == AWS_DEFAULT;
    }

    /** Whether the bearer token comes from Google's auth library. */
    public boolean google() {
        return this == GOOGLE_SERVICE_ACCOUNT || this == GOOGLE_DEFAULT;
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
