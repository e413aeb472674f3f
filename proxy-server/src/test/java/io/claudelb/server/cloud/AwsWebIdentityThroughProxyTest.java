package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.server.mock.MockCloud;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth: { type: aws_default }} in an EKS pod with IAM roles for service accounts (IRSA): the SDK's default chain
 * finds {@code AWS_WEB_IDENTITY_TOKEN_FILE}, {@code AWS_ROLE_ARN} and {@code AWS_ROLE_SESSION_NAME} (here their
 * system-property spellings, which the SDK reads first), calls STS's {@code AssumeRoleWithWebIdentity} unsigned with
 * the file's token (the mock's STS, through {@code aws.endpointUrlSts}), and the Bedrock request is signed with the
 * temporary keys STS issued. A token STS refuses gives the client an Anthropic error that does not contain it.
 */
class AwsWebIdentityThroughProxyTest {
    private static final String TOKEN_FILE = "aws.webIdentityTokenFile";
    private static final String ROLE_ARN = "aws.roleArn";
    private static final String SESSION_NAME = "aws.roleSessionName";
    private static final String STS_ENDPOINT = "aws.endpointUrlSts";
    private static final String REGION = "aws.region";
    private static final String ROLE = "arn:aws:iam::123456789012:role/claude-lb-pod";
    private static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.pod-token.sig";

    @TempDir
    Path dir;
    private MockUpstream bedrock;
    private BedrockAuthProxy proxy;

    @BeforeEach
    void start() throws IOException, InterruptedException {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().acceptWebIdentityToken(TOKEN);
        System.setProperty(STS_ENDPOINT, bedrock.baseUrl());
        // EKS sets AWS_REGION in the pod; the SDK's web identity STS client takes its region from there. Without a
        // region it did not use the endpoint override here (it failed on an unknown host).
        System.setProperty(REGION, "us-east-1");
        System.setProperty(ROLE_ARN, ROLE);
        System.setProperty(SESSION_NAME, "pod-7");
        proxy = BedrockAuthProxy.start(bedrock, new UpstreamAuth(AuthType.AWS_DEFAULT, null, null, null, null, null));
    }

    @AfterEach
    void stop() {
        for (String p : List.of(TOKEN_FILE, ROLE_ARN, SESSION_NAME, STS_ENDPOINT, REGION)) {
            System.clearProperty(p);
        }
        proxy.stop();
        bedrock.close();
    }

    private void tokenFile(String token) throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, token, StandardCharsets.US_ASCII);
        System.setProperty(TOKEN_FILE, file.toString());
    }

    @Test
    void thePodsTokenIsExchangedForTheRolesKeysAndBedrockIsSignedWithThem() throws IOException {
        tokenFile(TOKEN);

        RawHttpClient.Response response = proxy.send();

        assertThat(response.status).as(response.bodyText()).isEqualTo(200);
        assertThat(response.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(bedrock.cloud().webIdentityCalls())
                .containsExactly(new MockCloud.WebIdentityCall(ROLE, "pod-7", TOKEN));
        assertThat(bedrock.cloud().assumeRoleCalls()).as("no signed AssumeRole").isEmpty();
        assertThat(KindUnderTest.messageCalls(bedrock)).hasSize(1);
        assertThat(BedrockAuthProxy.signedWith(bedrock, 0)).isEqualTo("ASIAMOCK1");
        assertThat(KindUnderTest.messageCalls(bedrock).get(0).header("x-amz-security-token"))
                .isEqualTo("mock-session-1");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        assertThat(bedrock.cloud().signaturesRejected()).isZero();
    }

    @Test
    void aTokenStsRefusesGivesAnAnthropicErrorWithoutTheToken() throws IOException {
        String stale = "eyJhbGciOiJSUzI1NiJ9.stale-token.sig";
        tokenFile(stale);

        RawHttpClient.Response response = proxy.send();

        assertThat(bedrock.cloud().assumeRoleRefusals()).isPositive();
        assertThat(bedrock.cloud().awsCredentialsIssued()).isZero();
        assertThat(KindUnderTest.messageCalls(bedrock)).as("no Bedrock request without credentials").isEmpty();
        assertThat(response.status).as(response.bodyText()).isGreaterThanOrEqualTo(500);
        assertThat(response.json().text("type")).isEqualTo("error");
        assertThat(response.json().text("error.message")).isNotBlank();
        assertThat(response.bodyText()).doesNotContain(stale).doesNotContain("stale-token");
    }
}
