package io.claudelb.core.config;

import java.net.URI;
import java.nio.file.Path;
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
 * @param aws          static keys and assumed role ({@code aws}, {@code aws_default}); {@link AwsAuth#NONE} otherwise
 * @param keyFile      the service-account key file ({@code google_service_account}), else null
 */
public record UpstreamAuth(AuthType type, Secret token, Secret clientId, Secret clientSecret, URI tokenUrl,
                           Secret refreshToken, AwsAuth aws, Path keyFile) {

    /** A credential of a type that is neither AWS nor Google. */
    public UpstreamAuth(AuthType type, Secret token, Secret clientId, Secret clientSecret, URI tokenUrl,
                        Secret refreshToken) {
        this(type, token, clientId, clientSecret, tokenUrl, refreshToken, null, null);
    }

    public UpstreamAuth {
        Objects.requireNonNull(type, "type");
        token = token == null ? Secret.empty() : token;
        clientId = clientId == null ? Secret.empty() : clientId;
        clientSecret = clientSecret == null ? Secret.empty() : clientSecret;
        refreshToken = refreshToken == null ? Secret.empty() : refreshToken;
        aws = aws == null ? AwsAuth.NONE : aws;
        if (!type.aws() && !aws.equals(AwsAuth.NONE)) {
            throw new ConfigException("type", "AWS keys and roles need auth type aws or aws_default, not "
                    + type.configName());
        }
        if (keyFile != null && type != AuthType.GOOGLE_SERVICE_ACCOUNT) {
            throw new ConfigException("key_file", "is only used by auth type google_service_account");
        }
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
            case AWS -> require(type, aws.hasStaticKeys(), "access_key_id");
            case AWS_DEFAULT -> {
                if (aws.hasStaticKeys()) {
                    throw new ConfigException("access_key_id", "is not used by auth type aws_default (its keys come "
                            + "from the default chain); use type aws for static keys");
                }
            }
            case GOOGLE_SERVICE_ACCOUNT -> require(type, keyFile != null, "key_file");
            case PASSTHROUGH, NONE, GOOGLE_DEFAULT -> { }
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

    /** Static AWS keys ({@code aws}); {@code sessionToken} may be empty. */
    public static UpstreamAuth awsKeys(String accessKeyId, String secretAccessKey, String sessionToken) {
        return new UpstreamAuth(AuthType.AWS, null, null, null, null, null,
                new AwsAuth(Secret.of(accessKeyId), Secret.of(secretAccessKey), Secret.of(sessionToken), null, null,
                        null), null);
    }

    /** A Google service-account key file ({@code google_service_account}). */
    public static UpstreamAuth googleServiceAccount(Path keyFile) {
        return new UpstreamAuth(AuthType.GOOGLE_SERVICE_ACCOUNT, null, null, null, null, null, null, keyFile);
    }

    public static UpstreamAuth none() {
        return new UpstreamAuth(AuthType.NONE, null, null, null, null, null);
    }
}
