package io.claudelb.core.config;

import java.net.URI;
import java.util.Objects;

/**
 * An upstream's credential. Which fields are required depends on {@link #type()}; the constructor checks that.
 *
 * @param type         how the credential is sent or obtained
 * @param token        the static token ({@code api_key}, {@code bearer})
 * @param clientId     OAuth client id ({@code databricks_oauth})
 * @param clientSecret OAuth client secret ({@code databricks_oauth})
 * @param tokenUrl     token endpoint ({@code oauth_refresh}; derived from the workspace for {@code databricks_oauth})
 * @param refreshToken initial refresh token ({@code oauth_refresh})
 */
public record UpstreamAuth(AuthType type, Secret token, Secret clientId, Secret clientSecret, URI tokenUrl,
                           Secret refreshToken) {

    public UpstreamAuth {
        Objects.requireNonNull(type, "type");
        token = token == null ? Secret.empty() : token;
        clientId = clientId == null ? Secret.empty() : clientId;
        clientSecret = clientSecret == null ? Secret.empty() : clientSecret;
        refreshToken = refreshToken == null ? Secret.empty() : refreshToken;
        switch (type) {
            case API_KEY, BEARER -> require(type, !token.isEmpty(), "token");
            case DATABRICKS_OAUTH -> {
                require(type, !clientId.isEmpty(), "client_id");
                require(type, !clientSecret.isEmpty(), "client_secret");
            }
            case OAUTH_REFRESH -> {
                require(type, !refreshToken.isEmpty(), "refresh_token");
                require(type, tokenUrl != null, "token_url");
            }
            case PASSTHROUGH, NONE -> { }
            default -> throw new IllegalStateException(type.toString());
        }
    }

    // Static: a compact constructor runs before the fields are assigned, so this.type would still be null here.
    private static void require(AuthType type, boolean ok, String key) {
        if (!ok) {
            throw new ConfigException(key, "is required for auth type " + type.configName());
        }
    }

    public static UpstreamAuth apiKey(String token) {
        return new UpstreamAuth(AuthType.API_KEY, Secret.of(token), null, null, null, null);
    }

    public static UpstreamAuth bearer(String token) {
        return new UpstreamAuth(AuthType.BEARER, Secret.of(token), null, null, null, null);
    }

    public static UpstreamAuth none() {
        return new UpstreamAuth(AuthType.NONE, null, null, null, null, null);
    }
}
