package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.auth.AwsCredentialSource;
import io.claudelb.server.mock.MockCloud;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    private static final Pattern KEY_ID = Pattern.compile("Credential=([^/]+)/");

    private MockUpstream bedrock;
    private ProxyServer proxy;
    private UpstreamConfig upstream;

    @BeforeEach
    void start() throws InterruptedException {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().requireContainerAuthorization("ecs-task-token");
        System.setProperty(FULL_URI, bedrock.baseUrl() + MockCloud.CONTAINER_CREDENTIALS_PATH);
        System.setProperty(AUTHORIZATION_TOKEN, "ecs-task-token");
        upstream = UpstreamConfig.builder("bedrock", UpstreamKind.BEDROCK).baseUrl(bedrock.baseUrl())
                .auth(new UpstreamAuth(AuthType.AWS_DEFAULT, null, null, null, null, null))
                .timeouts(TestConfigs.FAST).bedrock(new BedrockSettings("us-east-1")).build();
        proxy = ProxyServer.start(TestConfigs.proxy().upstream(upstream)
                .route(new RouteConfig("*", List.of(new TargetConfig("bedrock",
                        "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 0, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        System.clearProperty(FULL_URI);
        System.clearProperty(AUTHORIZATION_TOKEN);
        proxy.stop(Duration.ofSeconds(5));
        bedrock.close();
    }

    private RawHttpClient.Response send() {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true)));
    }

    /** The access key the n-th (0-based) request to the mock Bedrock was signed with. */
    private String signedWith(int n) {
        List<RecordedRequest> calls = KindUnderTest.messageCalls(bedrock);
        Matcher m = KEY_ID.matcher(calls.get(n).header("authorization"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private AwsCredentialSource credentials() {
        return proxy.gateway().exchangeServices().aws().signing(upstream).credentials();
    }

    @Test
    void expiringContainerCredentialsAreRefreshedAheadOfExpiryAndTheNextRequestIsSignedWithTheNewOnes() {
        // Two minutes: already due for renewal (5 min before expiry), so claude-lb asks again after its minimum
        // interval, 10 s; still usable for the first request (until 1 min before expiry). The SDK's container
        // provider renews what it cached at a random moment from 15 to 2 minutes before expiry (prefetch jitter):
        // with 2 minutes that moment is already past, so the refresh gets new keys, not the cached ones. The renewed
        // ones last an hour.
        bedrock.cloud().setAwsCredentialLifetime(Duration.ofMinutes(2));

        RawHttpClient.Response first = send();

        assertThat(first.status).isEqualTo(200);
        assertThat(first.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(signedWith(0)).isEqualTo("ASIAMOCK1");
        assertThat(KindUnderTest.messageCalls(bedrock).get(0).header("x-amz-security-token"))
                .isEqualTo("mock-session-1");
        bedrock.cloud().setAwsCredentialLifetime(Duration.ofHours(1));

        Await.until("credentials renewed in the background", () -> bedrock.cloud().awsCredentialsIssued() >= 2
                && !"ASIAMOCK1".equals(credentials().current().accessKeyId()), Duration.ofSeconds(40));
        bedrock.cloud().revokeAwsKey("ASIAMOCK1");
        RawHttpClient.Response second = send();

        assertThat(second.status).isEqualTo(200);
        assertThat(second.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(signedWith(1)).isEqualTo(credentials().current().accessKeyId()).isNotEqualTo("ASIAMOCK1");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(2);
        assertThat(bedrock.cloud().signaturesRejected()).isZero();
        // Fetched off the event loops (the blocking-call detector would fail the test) and only when due: once at
        // the first request, once ahead of expiry; never in a loop (credentials already due are asked for again
        // after the minimum interval, not at once).
        assertThat(credentials().resolutions()).as("issued %d, current %s", bedrock.cloud().awsCredentialsIssued(),
                credentials().current()).isEqualTo(2);
    }
}
