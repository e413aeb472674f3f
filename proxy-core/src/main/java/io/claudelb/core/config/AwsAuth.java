package io.claudelb.core.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS side of an {@code aws} or {@code aws_default} credential ({@code upstreams[].auth}): static keys (empty for
 * {@code aws_default}, whose keys come from the SDK's default chain) and an optional role to assume with them.
 *
 * @param accessKeyId     {@code access_key_id} (static keys only)
 * @param secretAccessKey {@code secret_access_key} (static keys only)
 * @param sessionToken    {@code session_token} of temporary static keys; empty when the keys are long-lived
 * @param roleArn         {@code role_arn}: the role assumed through STS with the keys above, or null to use them
 * @param externalId      {@code external_id} the role's trust policy asks for; empty when none (only with a role)
 * @param roleSessionName {@code role_session_name}, shown in the role's CloudTrail entries
 */
public record AwsAuth(Secret accessKeyId, Secret secretAccessKey, Secret sessionToken, String roleArn,
                      Secret externalId, String roleSessionName) {
    /** The session name when none is configured. */
    public static final String DEFAULT_SESSION_NAME = "claude-lb";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]+");
    /** STS's rule for RoleSessionName. */
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
    /** No keys, no role: {@code aws_default} as it is (declared after the patterns its constructor uses). */
    public static final AwsAuth NONE = new AwsAuth(null, null, null, null, null, null);

    public AwsAuth {
        accessKeyId = orEmpty(accessKeyId);
        secretAccessKey = orEmpty(secretAccessKey);
        sessionToken = orEmpty(sessionToken);
        externalId = orEmpty(externalId);
        roleArn = roleArn == null || roleArn.isBlank() ? null : roleArn.trim();
        roleSessionName = roleSessionName == null || roleSessionName.isBlank() ? DEFAULT_SESSION_NAME
                : roleSessionName.trim();
        if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
            throw new ConfigException(accessKeyId.isEmpty() ? "access_key_id" : "secret_access_key",
                    "is required together with " + (accessKeyId.isEmpty() ? "secret_access_key" : "access_key_id"));
        }
        if (!sessionToken.isEmpty() && accessKeyId.isEmpty()) {
            throw new ConfigException("session_token", "needs access_key_id and secret_access_key");
        }
        if (roleArn != null && !ROLE_ARN.matcher(roleArn).matches()) {
            throw new ConfigException("role_arn", "must be an IAM role ARN (arn:aws:iam::123456789012:role/name), got '"
                    + roleArn + "'");
        }
        if (roleArn == null && !externalId.isEmpty()) {
            throw new ConfigException("external_id", "is only used with role_arn");
        }
        if (!SESSION_NAME.matcher(roleSessionName).matches()) {
            throw new ConfigException("role_session_name", "must be 2-64 characters of letters, digits and +=,.@_-");
        }
    }

    private static Secret orEmpty(Secret s) {
        return Objects.requireNonNullElse(s, Secret.empty());
    }

    /** Whether static keys are configured (auth type {@code aws}). */
    public boolean hasStaticKeys() {
        return !accessKeyId.isEmpty();
    }

    /** Whether the credentials are exchanged for a role through STS. */
    public boolean assumesRole() {
        return roleArn != null;
    }
}
