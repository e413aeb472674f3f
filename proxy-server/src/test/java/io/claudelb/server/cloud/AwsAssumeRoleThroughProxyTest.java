package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.AwsAuth;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.server.mock.MockCloud;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code auth: { type: aws | aws_default, role_arn: ... [, external_id] }} through claude-lb: the SDK's STS client,
 * pointed at the mock's STS by {@code aws.endpointUrlSts} (the SDK's service-specific endpoint override, as
 * {@code AWS_ENDPOINT_URL_STS} would in a deployment), assumes the role with the source keys; the mock checks that
 * call's SigV4 signature (service {@code sts}) and hands out temporary keys, and its Bedrock route checks that the
 * model request is signed with those, not with the source keys.
 */
class AwsAssumeRoleThroughProxyTest {
    private static final String STS_ENDPOINT = "aws.endpointUrlSts";
    private static final String ACCESS_KEY = "aws.accessKeyId";
    private static final String SECRET_KEY = "aws.secretAccessKey";
    private static final String ROLE = "arn:aws:iam::123456789012:role/x";
    private static final String SOURCE_KEY_ID = "AKIAMOCKSOURCE";
    private static final String SOURCE_SECRET = "source/secret/right";

    private MockUpstream bedrock;
    private BedrockAuthProxy proxy;

    @BeforeEach
    void startMock() {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().acceptAwsKey(SOURCE_KEY_ID, SOURCE_SECRET, null);
        System.setProperty(STS_ENDPOINT, bedrock.baseUrl());
    }

    @AfterEach
    void stop() {
        System.clearProperty(STS_ENDPOINT);
        System.clearProperty(ACCESS_KEY);
        System.clearProperty(SECRET_KEY);
        if (proxy != null) {
            proxy.stop();
        }
        bedrock.close();
    }

    private void startProxy(AuthType type, AwsAuth aws) throws InterruptedException {
        proxy = BedrockAuthProxy.start(bedrock, new UpstreamAuth(type, null, null, null, null, null, aws, null));
    }

    private static AwsAuth staticKeys(String secret, String externalId) {
        return new AwsAuth(Secret.of(SOURCE_KEY_ID), Secret.of(secret), null, ROLE, Secret.of(externalId), null);
    }

    /** The access key the only request to the mock Bedrock was signed with. */
    private String bedrockSignedWith() {
        assertThat(KindUnderTest.messageCalls(bedrock)).hasSize(1);
        return BedrockAuthProxy.signedWith(bedrock, 0);
    }

    private void assertSignedWithTheAssumedRole(RawHttpClient.Response response) {
        assertThat(response.status).as(response.bodyText()).isEqualTo(200);
        assertThat(response.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(bedrockSignedWith()).isEqualTo("ASIAMOCK1");
        assertThat(KindUnderTest.messageCalls(bedrock).get(0).header("x-amz-security-token"))
                .isEqualTo("mock-session-1");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        assertThat(bedrock.cloud().signaturesRejected()).isZero();
    }

    @Test
    void staticSourceKeysAssumeTheRoleWithTheExternalIdAndBedrockIsSignedWithTheRolesKeys()
            throws InterruptedException {
        startProxy(AuthType.AWS, staticKeys(SOURCE_SECRET, "partner-42"));

        assertSignedWithTheAssumedRole(proxy.send());
        assertThat(bedrock.cloud().assumeRoleCalls()).containsExactly(
                new MockCloud.AssumeRoleCall(SOURCE_KEY_ID, ROLE, AwsAuth.DEFAULT_SESSION_NAME, "partner-42"));
        assertThat(bedrock.cloud().assumeRoleRefusals()).isZero();
    }

    @Test
    void withoutAnExternalIdNoneReachesSts() throws InterruptedException {
        startProxy(AuthType.AWS, staticKeys(SOURCE_SECRET, null));

        assertSignedWithTheAssumedRole(proxy.send());
        assertThat(bedrock.cloud().assumeRoleCalls()).containsExactly(
                new MockCloud.AssumeRoleCall(SOURCE_KEY_ID, ROLE, AwsAuth.DEFAULT_SESSION_NAME, null));
    }

    @Test
    void defaultChainSourceKeysAssumeTheRole() throws InterruptedException {
        // The default chain's first provider reads these system properties (what AWS_ACCESS_KEY_ID and
        // AWS_SECRET_ACCESS_KEY are in the environment).
        System.setProperty(ACCESS_KEY, SOURCE_KEY_ID);
        System.setProperty(SECRET_KEY, SOURCE_SECRET);
        startProxy(AuthType.AWS_DEFAULT, new AwsAuth(null, null, null, ROLE, null, "bedrock-test"));

        assertSignedWithTheAssumedRole(proxy.send());
        assertThat(bedrock.cloud().assumeRoleCalls()).containsExactly(
                new MockCloud.AssumeRoleCall(SOURCE_KEY_ID, ROLE, "bedrock-test", null));
    }

    @Test
    void aWrongSourceSecretIsRefusedByStsAndTheClientGetsAnAnthropicErrorWithoutTheSecret()
            throws InterruptedException {
        String wrongSecret = "source/secret/WRONG";
        startProxy(AuthType.AWS, staticKeys(wrongSecret, "partner-42"));

        RawHttpClient.Response response = proxy.send();

        assertThat(bedrock.cloud().assumeRoleRefusals()).isPositive();
        assertThat(bedrock.cloud().assumeRoleCalls()).isEmpty();
        assertThat(bedrock.cloud().awsCredentialsIssued()).isZero();
        assertThat(KindUnderTest.messageCalls(bedrock)).as("no Bedrock request without credentials").isEmpty();
        assertThat(response.status).as(response.bodyText()).isGreaterThanOrEqualTo(500);
        assertThat(response.json().text("type")).isEqualTo("error");
        assertThat(response.json().text("error.type")).isNotBlank();
        assertThat(response.json().text("error.message")).isNotBlank();
        assertThat(response.bodyText()).doesNotContain(wrongSecret).doesNotContain(SOURCE_SECRET)
                .doesNotContain("partner-42");
    }
}
