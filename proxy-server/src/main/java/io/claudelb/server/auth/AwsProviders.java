package io.claudelb.server.auth;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.AwsAuth;
import io.claudelb.core.config.UpstreamConfig;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * The AWS SDK credential provider for one {@code aws} / {@code aws_default} upstream:
 * <ul>
 *   <li>{@code aws}: the configured keys ({@link StaticCredentialsProvider}), with the session token when given;</li>
 *   <li>{@code aws_default}: the SDK's {@link DefaultCredentialsProvider}: environment variables, system properties,
 *       web identity token file (EKS/IRSA, through STS), the shared profile files ({@code AWS_PROFILE}), the
 *       container endpoint (ECS/EKS pod identity) and instance metadata (IMDSv2);</li>
 *   <li>with {@code role_arn}: either of the above as the source of an {@link StsAssumeRoleCredentialsProvider}
 *       (session name and external id as configured), against the upstream's region's STS endpoint.</li>
 * </ul>
 * Every provider here is only ever called on the {@link CredentialThread} (they block); none prefetches on a thread of
 * its own, so {@link AwsCredentialSource} alone decides when they run.
 */
public final class AwsProviders {
    private AwsProviders() {
    }

    /** @param upstream a bedrock upstream with auth type aws or aws_default */
    public static AwsCredentialsProvider forUpstream(UpstreamConfig upstream) {
        AwsAuth aws = upstream.auth().aws();
        AwsCredentialsProvider source;
        if (upstream.auth().type() == AuthType.AWS) {
            source = StaticCredentialsProvider.create(aws.sessionToken().isEmpty()
                    ? AwsBasicCredentials.create(aws.accessKeyId().reveal(), aws.secretAccessKey().reveal())
                    : AwsSessionCredentials.create(aws.accessKeyId().reveal(), aws.secretAccessKey().reveal(),
                    aws.sessionToken().reveal()));
        } else if (upstream.auth().type() == AuthType.AWS_DEFAULT) {
            source = DefaultCredentialsProvider.builder().asyncCredentialUpdateEnabled(false).build();
        } else {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' does not use AWS credentials");
        }
        if (!aws.assumesRole()) {
            return source;
        }
        StsClient sts = StsClient.builder()
                .region(Region.of(upstream.bedrock().region()))
                .credentialsProvider(source)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(false)
                .refreshRequest(r -> {
                    r.roleArn(aws.roleArn()).roleSessionName(aws.roleSessionName());
                    if (!aws.externalId().isEmpty()) {
                        r.externalId(aws.externalId().reveal());
                    }
                })
                .build();
    }
}
