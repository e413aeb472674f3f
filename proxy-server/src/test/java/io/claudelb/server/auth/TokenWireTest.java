package io.claudelb.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamAuth;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The token request each grant sends and how token answers are read. */
class TokenWireTest {

    @Test
    void databricksSendsClientCredentialsAsBasicWithTheAllApisScope() {
        UpstreamAuth auth = new UpstreamAuth(AuthType.DATABRICKS_OAUTH, null, Secret.of("id:1"), Secret.of("s&cret"),
                URI.create("https://adb-1.azuredatabricks.net/oidc/v1/token"), null);
        FullHttpRequest req = TokenRequests.build(UnpooledByteBufAllocator.DEFAULT, auth, auth.tokenUrl(),
                Secret.empty());
        try {
            assertThat(req.method().name()).isEqualTo("POST");
            assertThat(req.uri()).isEqualTo("/oidc/v1/token");
            assertThat(req.headers().get("host")).isEqualTo("adb-1.azuredatabricks.net");
            assertThat(req.headers().get("content-type")).isEqualTo("application/x-www-form-urlencoded");
            assertThat(req.headers().get("accept")).isEqualTo("application/json");
            assertThat(req.headers().get("authorization")).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("id:1:s&cret".getBytes(StandardCharsets.UTF_8)));
            assertThat(req.content().toString(StandardCharsets.US_ASCII))
                    .isEqualTo("grant_type=client_credentials&scope=all-apis");
            assertThat(req.headers().getInt("content-length")).isEqualTo(req.content().readableBytes());
        } finally {
            req.release();
        }
    }

    @Test
    void refreshGrantEncodesTheRefreshTokenAndOptionalClientFields() {
        UpstreamAuth auth = new UpstreamAuth(AuthType.OAUTH_REFRESH, null, Secret.of("client one"),
                Secret.of("p+w"), URI.create("http://auth.local:8443/oauth/token?tenant=a"), Secret.of("rt-0"));
        FullHttpRequest req = TokenRequests.build(UnpooledByteBufAllocator.DEFAULT, auth, auth.tokenUrl(),
                Secret.of("rt/rotated=1"));
        try {
            assertThat(req.uri()).isEqualTo("/oauth/token?tenant=a");
            assertThat(req.headers().get("host")).isEqualTo("auth.local:8443");
            assertThat(req.headers().contains("authorization")).isFalse();
            assertThat(req.content().toString(StandardCharsets.US_ASCII)).isEqualTo(
                    "grant_type=refresh_token&refresh_token=rt%2Frotated%3D1&client_id=client+one&client_secret=p%2Bw");
        } finally {
            req.release();
        }
        UpstreamAuth bare = new UpstreamAuth(AuthType.OAUTH_REFRESH, null, null, null,
                URI.create("https://auth.example"), Secret.of("rt"));
        FullHttpRequest minimal = TokenRequests.build(UnpooledByteBufAllocator.DEFAULT, bare, bare.tokenUrl(),
                Secret.of("rt"));
        try {
            assertThat(minimal.uri()).isEqualTo("/");
            assertThat(minimal.content().toString(StandardCharsets.US_ASCII))
                    .isEqualTo("grant_type=refresh_token&refresh_token=rt");
        } finally {
            minimal.release();
        }
    }

    @Test
    void aSuccessfulAnswerGivesTokenLifetimeAndRotation() throws Exception {
        TokenResponse r = TokenResponses.parse("ws", 200,
                "{\"access_token\":\"at\",\"token_type\":\"bearer\",\"expires_in\":3600,\"scope\":\"all-apis\"}");
        assertThat(r).isEqualTo(new TokenResponse("at", 3600, null));
        assertThat(TokenResponses.parse("ws", 200, "{\"access_token\":\"at\",\"expires_in\":\"120\","
                + "\"refresh_token\":\"rt-2\",\"extra\":{\"a\":[1]}}")).isEqualTo(new TokenResponse("at", 120, "rt-2"));
        assertThat(TokenResponses.parse("ws", 200, "{\"access_token\":\"at\"}").expiresInSeconds()).isZero();
    }

    @Test
    void refusalsAndUnusableAnswersAreTokenExceptionsWithoutSecrets() {
        assertThatThrownBy(() -> TokenResponses.parse("ws", 401,
                "{\"error\":\"invalid_client\",\"error_description\":\"bad secret s3cr3t\"}"))
                .isInstanceOf(TokenException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("invalid_client")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> TokenResponses.parse("ws", 200, "{\"token_type\":\"Bearer\"}"))
                .hasMessageContaining("no access_token");
        assertThatThrownBy(() -> TokenResponses.parse("ws", 200, "{\"access_token\":\"at\",\"token_type\":\"mac\"}"))
                .hasMessageContaining("only Bearer");
        assertThatThrownBy(() -> TokenResponses.parse("ws", 502, "<html>bad gateway</html>"))
                .hasMessageContaining("not valid JSON").hasMessageContaining("502");
        assertThatThrownBy(() -> TokenResponses.parse("ws", 500, "{\"access_token\":\"at-leak\"}"))
                .hasMessageContaining("refused").hasMessageNotContaining("at-leak");
    }
}
