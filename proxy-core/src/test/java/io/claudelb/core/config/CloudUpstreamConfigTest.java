package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bedrock and vertex kinds, their credentials, and the databricks settings, read from native YAML. */
class CloudUpstreamConfigTest {
    private static final Map<String, String> ENV = Map.of("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE",
            "AWS_SECRET_ACCESS_KEY", "secret/example");

    @TempDir
    Path dir;

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", ENV);
    }

    private static UpstreamConfig only(String yaml) {
        return parse(yaml).upstreams().get(0);
    }

    private static void assertError(String yaml, String key, String problemPart) {
        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(ConfigException.class)
                .satisfies(e -> {
                    assertThat(((ConfigException) e).key()).isEqualTo(key);
                    assertThat(e.getMessage()).contains(problemPart);
                });
    }

    @Test
    void bedrockWithStaticKeysInTheIssuesShape() {
        UpstreamConfig u = only("""
                upstreams:
                  - { name: bedrock-east, kind: bedrock, region: us-east-1,
                      auth: { type: aws, access_key_id: "${AWS_ACCESS_KEY_ID}", secret_access_key: "${AWS_SECRET_ACCESS_KEY}",
                              session_token: "${AWS_SESSION_TOKEN:-}" } }
                """);
        assertThat(u.kind()).isEqualTo(UpstreamKind.BEDROCK);
        assertThat(u.bedrock().region()).isEqualTo("us-east-1");
        assertThat(u.baseUrl()).isEqualTo(URI.create("https://bedrock-runtime.us-east-1.amazonaws.com"));
        assertThat(u.auth().type()).isEqualTo(AuthType.AWS);
        assertThat(u.auth().aws().accessKeyId().reveal()).isEqualTo("AKIAEXAMPLE");
        assertThat(u.auth().aws().secretAccessKey().reveal()).isEqualTo("secret/example");
        assertThat(u.auth().aws().sessionToken().isEmpty()).isTrue();
        assertThat(u.auth().aws().assumesRole()).isFalse();
        assertThat(u.countTokens()).isFalse();
        assertThat(u.messagesPath("us.anthropic.claude-sonnet-4-5-20250929-v1:0", true))
                .isEqualTo("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream");
        assertThat(u.messagesPath("anthropic.claude-haiku-4-5", false)).isEqualTo("/model/anthropic.claude-haiku-4-5/invoke");
        assertThat(u.countTokensPath()).isNull();
        assertThatThrownBy(u::messagesPath).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void bedrockBaseUrlAssumedRoleAndDefaultChain() {
        UpstreamConfig u = only("""
                upstreams:
                  - name: b
                    kind: bedrock
                    region: eu-central-1
                    base_url: https://vpce-1.bedrock-runtime.eu-central-1.vpce.amazonaws.com/prefix/
                    auth: { type: aws_default, role_arn: "arn:aws:iam::123456789012:role/bedrock-user", external_id: x-1 }
                """);
        assertThat(u.baseUrl().toString()).isEqualTo("https://vpce-1.bedrock-runtime.eu-central-1.vpce.amazonaws.com/prefix");
        assertThat(u.auth().type()).isEqualTo(AuthType.AWS_DEFAULT);
        assertThat(u.auth().aws().roleArn()).isEqualTo("arn:aws:iam::123456789012:role/bedrock-user");
        assertThat(u.auth().aws().externalId().reveal()).isEqualTo("x-1");
        assertThat(u.auth().aws().roleSessionName()).isEqualTo("claude-lb");
        // An application inference profile ARN is one path segment.
        assertThat(u.messagesPath("arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc", false))
                .isEqualTo("/prefix/model/arn%3Aaws%3Abedrock%3Aeu-central-1%3A123456789012%3Aapplication-inference-"
                        + "profile%2Fabc/invoke");
        assertThat(only("""
                upstreams: [ { name: cn, kind: bedrock, region: cn-north-1, auth: { type: bearer, token: bedrock-api-key } } ]
                """).baseUrl().toString()).isEqualTo("https://bedrock-runtime.cn-north-1.amazonaws.com.cn");
    }

    @Test
    void vertexWithAServiceAccountKeyFile() throws IOException {
        Path key = Files.writeString(dir.resolve("sa.json"), "{}");
        UpstreamConfig u = only("""
                upstreams:
                  - { name: vertex-east, kind: vertex, project: my-project, region: us-east5,
                      auth: { type: google_service_account, key_file: %s } }
                """.formatted(key));
        assertThat(u.vertex()).isEqualTo(new VertexSettings("my-project", "us-east5"));
        assertThat(u.baseUrl()).isEqualTo(URI.create("https://us-east5-aiplatform.googleapis.com"));
        assertThat(u.auth().keyFile()).isEqualTo(key);
        assertThat(u.countTokens()).isTrue();
        assertThat(u.messagesPath("claude-sonnet-4-5@20250929", true)).isEqualTo("/v1/projects/my-project/locations/"
                + "us-east5/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict");
        assertThat(u.messagesPath("claude-opus-4-7", false)).endsWith("/models/claude-opus-4-7:rawPredict");
        assertThat(u.countTokensPath()).isEqualTo("/v1/projects/my-project/locations/us-east5/publishers/anthropic/"
                + "models/count-tokens:rawPredict");
    }

    @Test
    void vertexGlobalRegionAndApplicationDefaultCredentials() {
        UpstreamConfig u = only("""
                upstreams: [ { name: v, kind: vertex, project: p-1, region: global, auth: { type: google_default } } ]
                """);
        assertThat(u.baseUrl()).isEqualTo(URI.create("https://aiplatform.googleapis.com"));
        assertThat(u.auth().type()).isEqualTo(AuthType.GOOGLE_DEFAULT);
        assertThat(u.messagesPath("claude-opus-4-7", true)).startsWith("/v1/projects/p-1/locations/global/");
    }

    @Test
    void databricksSettingsDefaultToDiscoveryOnTheServingEndpoints() {
        UpstreamConfig u = only("""
                upstreams: [ { name: ws, kind: databricks, base_url: "https://adb-1.azuredatabricks.net/serving-endpoints" } ]
                """);
        assertThat(u.databricks()).isEqualTo(DatabricksSettings.DEFAULTS);
        assertThat(u.messagesPath()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
        assertThat(u.databricksWorkspace()).isEqualTo(URI.create("https://adb-1.azuredatabricks.net"));
        UpstreamConfig gateway = only("""
                upstreams:
                  - name: ws
                    kind: databricks
                    base_url: "https://adb-1.azuredatabricks.net"
                    databricks: { discover: false, api: ai_gateway, refresh: 10m }
                """);
        assertThat(gateway.databricks()).isEqualTo(new DatabricksSettings(false, DatabricksApi.AI_GATEWAY,
                Duration.ofMinutes(10)));
        assertThat(gateway.messagesPath()).isEqualTo("/ai-gateway/anthropic/v1/messages");
        assertThat(gateway.countTokensPath()).isEqualTo("/ai-gateway/anthropic/v1/messages/count_tokens");
    }

    @Test
    void misplacedOrMissingSettingsAreErrors() {
        assertError("upstreams: [ { name: b, kind: bedrock } ]", "upstreams[0].region", "is required");
        assertError("upstreams: [ { name: b, kind: bedrock, region: US East } ]", "upstreams[0].region",
                "must be an AWS region");
        assertError("upstreams: [ { name: v, kind: vertex, region: us-east5 } ]", "upstreams[0].project",
                "is required");
        assertError("upstreams: [ { name: a, base_url: 'https://x', region: us-east-1 } ]", "upstreams[0].region",
                "only used by kinds bedrock and vertex");
        assertError("upstreams: [ { name: a, base_url: 'https://x', databricks: { discover: false } } ]",
                "upstreams[0].databricks", "only used by kind databricks");
        assertError("upstreams: [ { name: a, base_url: 'https://x' } ]".replace("}", ", kind: bedrock, region: "
                + "us-east-1, count_tokens: true }"), "upstreams[0].count_tokens", "estimate");
        assertError("upstreams: [ { name: b, kind: bedrock, region: us-east-1, auth: { type: api_key, token: t } } ]",
                "upstreams[0].auth.type", "use aws, aws_default, bearer or none");
        assertError("upstreams: [ { name: a, base_url: 'https://x', auth: { type: google_default } } ]",
                "upstreams[0].auth.type", "cannot use auth type google_default");
        assertError("upstreams: [ { name: b, kind: bedrock, region: us-east-1, auth: { type: aws } } ]",
                "upstreams[0].auth.access_key_id", "is required");
        assertError("upstreams: [ { name: b, kind: bedrock, region: us-east-1, auth: { type: aws_default, "
                + "access_key_id: k } } ]", "upstreams[0].auth.access_key_id", "is not used by auth type aws_default");
        assertError("upstreams: [ { name: b, kind: bedrock, region: us-east-1, auth: { type: aws_default, "
                + "role_arn: 'arn:aws:s3:::bucket' } } ]", "upstreams[0].auth.role_arn", "IAM role ARN");
        assertError("upstreams: [ { name: b, kind: bedrock, region: us-east-1, auth: { type: aws_default, "
                + "external_id: x } } ]", "upstreams[0].auth.external_id", "only used with role_arn");
        assertError("upstreams: [ { name: v, kind: vertex, project: p-1, region: us-east5, auth: { type: "
                + "google_service_account, key_file: /no/such/sa.json } } ]", "upstreams[0].auth.key_file",
                "not a readable file");
        assertError("upstreams: [ { name: v, kind: vertex, project: p-1, region: us-east5, auth: { type: "
                + "google_default, key_file: /x } } ]", "upstreams[0].auth.key_file", "not used by auth type");
        assertError("upstreams: [ { name: w, kind: databricks, base_url: 'https://x', databricks: { refresh: 1s } } ]",
                "upstreams[0].databricks.refresh", "at least 10s");
    }

    @Test
    void describerShowsTheCloudKindsWithoutSecrets() throws IOException {
        Path key = Files.writeString(dir.resolve("sa.json"), "{}");
        GatewayConfig c = parse("""
                upstreams:
                  - { name: bedrock-east, kind: bedrock, region: us-east-1,
                      auth: { type: aws, access_key_id: "${AWS_ACCESS_KEY_ID}", secret_access_key: "${AWS_SECRET_ACCESS_KEY}",
                              role_arn: "arn:aws:iam::123456789012:role/r" } }
                  - { name: vertex-east, kind: vertex, project: my-project, region: us-east5,
                      auth: { type: google_service_account, key_file: %s } }
                  - { name: ws, kind: databricks, base_url: "https://adb-1.azuredatabricks.net/serving-endpoints" }
                """.formatted(key));
        String text = ConfigDescriber.describe(c);
        assertThat(text).contains(
                "bedrock-east: bedrock https://bedrock-runtime.us-east-1.amazonaws.com",
                "bedrock: region us-east-1, POST /model/{model id}/invoke[-with-response-stream], credentials SigV4 "
                        + "with static keys, assuming arn:aws:iam::123456789012:role/r",
                "opus -> global.anthropic.claude-opus-4-5-20251101-v1:0",
                "vertex: project my-project, region us-east5",
                "credentials Google service account key " + key,
                "databricks: api serving_endpoints (/serving-endpoints/anthropic/v1/messages), endpoint discovery every"
                        + " 5m from https://adb-1.azuredatabricks.net/api/2.0/serving-endpoints",
                "-> bedrock-east: model bedrock mapping",
                "-> vertex-east: model vertex naming");
        assertThat(text).doesNotContain("AKIAEXAMPLE").doesNotContain("secret/example");
    }
}
