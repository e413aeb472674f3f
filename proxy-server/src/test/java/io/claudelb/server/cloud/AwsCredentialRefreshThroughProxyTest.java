package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.server.auth.AwsCredentialSource;
import io.claudelb.server.mock.MockCloud;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth: { type: aws_default }} through claude-lb, its credentials from the AWS SDK's default provider chain
 * as in an ECS task or an EKS pod: the chain's container provider, pointed at the mock's container credentials
 * endpoint the way {@code AWS_CONTAINER_CREDENTIALS_FULL_URI} and {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} point it
 * (their system-property spellings, which the SDK reads first), gets temporary keys the Bedrock mock then checks each
 * signature with. Keys that expire are replaced in the background before they do, and the next request is signed
 * with the new ones although the old ones are already refused.
 */
class AwsCredentialRefreshThroughProxyTest {
    private static final String FULL_URI = "aws.containerCredentialsFullUri";
    private static final String AUTHORIZATION_TOKEN = "aws.containerAuthorizationToken";

    private MockUpstream bedrock;
    private BedrockAuthProxy proxy;

    @BeforeEach
    void start() throws InterruptedException {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().requireContainerAuthorization("ecs-task-token");
        System.setProperty(FULL_URI, bedrock.baseUrl() + MockCloud.CONTAINER_CREDENTIALS_PATH);
        System.setProperty(AUTHORIZATION_TOKEN, "ecs-task-token");
        proxy = BedrockAuthProxy.start(bedrock, new UpstreamAuth(AuthType.AWS_DEFAULT, null, null, null, null, null));
    }

    @AfterEach
    void stop() {
        System.clearProperty(FULL_URI);
        System.clearProperty(AUTHORIZATION_TOKEN);
        proxy.stop();
        bedrock.close();
    }

    private AwsCredentialSource credentials() {
        return proxy.server().gateway().exchangeServices().aws().signing(proxy.upstream()).credentials();
    }

    @Test
    void expiringContainerCredentialsAreRefreshedAheadOfExpiryAndTheNextRequestIsSignedWithTheNewOnes() {
        // Two minutes: already due for renewal (5 min before expiry), so claude-lb asks again after its minimum
        // interval, 10 s; still usable for the first request (until 1 min before expiry). The SDK's container
        // provider renews what it cached at a random moment from 15 to 2 minutes before expiry (prefetch jitter):
        // with 2 minutes that moment is already past, so the refresh gets new keys, not the cached ones. The renewed
        // ones last an hour.
        bedrock.cloud().setAwsCredentialLifetime(Duration.ofMinutes(2));

        RawHttpClient.Response first = proxy.send();

        assertThat(first.status).isEqualTo(200);
        assertThat(first.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(BedrockAuthProxy.signedWith(bedrock, 0)).isEqualTo("ASIAMOCK1");
        assertThat(KindUnderTest.messageCalls(bedrock).get(0).header("x-amz-security-token"))
                .isEqualTo("mock-session-1");
        bedrock.cloud().setAwsCredentialLifetime(Duration.ofHours(1));

        Await.until("credentials renewed in the background", () -> bedrock.cloud().awsCredentialsIssued() >= 2
                && !"ASIAMOCK1".equals(credentials().current().accessKeyId()), Duration.ofSeconds(40));
        bedrock.cloud().revokeAwsKey("ASIAMOCK1");
        RawHttpClient.Response second = proxy.send();

        assertThat(second.status).isEqualTo(200);
        assertThat(second.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(BedrockAuthProxy.signedWith(bedrock, 1)).isEqualTo(credentials().current().accessKeyId()).isNotEqualTo("ASIAMOCK1");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(2);
        assertThat(bedrock.cloud().signaturesRejected()).isZero();
        // Fetched off the event loops (the blocking-call detector would fail the test) and only when due: once at
        // the first request, once ahead of expiry; never in a loop (credentials already due are asked for again
        // after the minimum interval, not at once).
        assertThat(credentials().resolutions()).as("issued %d, current %s", bedrock.cloud().awsCredentialsIssued(),
                credentials().current()).isEqualTo(2);
    }
}
