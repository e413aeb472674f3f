package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.BetaFilter;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.auth.CallerCredential;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UpstreamRequestsTest {

    private static HttpRequest claudeCodeRequest() {
        HttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages?beta=true");
        req.headers()
                .set("host", "localhost:8000")
                .set("authorization", "Bearer sk-client")
                .set("x-api-key", "sk-client2")
                .set("anthropic-version", "2023-06-01")
                .set("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14")
                .set("user-agent", "claude-cli/2.1.330 (external, cli)")
                .set("x-stainless-retry-count", "0")
                .set("x-claude-code-session-id", "0f7a")
                .set("connection", "keep-alive, x-hop")
                .set("x-hop", "1")
                .set("keep-alive", "timeout=5")
                .set("accept-encoding", "gzip, br")
                .set("content-length", "999")
                .set("content-type", "application/json")
                .set("x-claude-lb-upstream", "ws-east");
        return req;
    }

    private static UpstreamConfig upstream(UpstreamKind kind, UpstreamAuth auth, BetaFilter betas) {
        return UpstreamConfig.builder("ws", kind)
                .baseUrl("https://adb-1.azuredatabricks.net:8443/serving-endpoints/").auth(auth).countTokens(true)
                .betas(betas).build();
    }

    @Test
    void endToEndHeadersPassHopByHopAndClientCredentialsDoNot() {
        UpstreamConfig u = upstream(UpstreamKind.DATABRICKS, UpstreamAuth.bearer("dapi-secret"), null);
        HttpRequest out = UpstreamRequests.head(claudeCodeRequest(), u, u.messagesPath(), null, 42);

        assertThat(out.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages?beta=true");
        assertThat(out.headers().get("host")).isEqualTo("adb-1.azuredatabricks.net:8443");
        assertThat(out.headers().get("authorization")).isEqualTo("Bearer dapi-secret");
        assertThat(out.headers().contains("x-api-key")).isFalse();
        assertThat(out.headers().get("anthropic-version")).isEqualTo("2023-06-01");
        assertThat(out.headers().get("anthropic-beta")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
        assertThat(out.headers().get("user-agent")).isEqualTo("claude-cli/2.1.330 (external, cli)");
        assertThat(out.headers().get("x-stainless-retry-count")).isEqualTo("0");
        assertThat(out.headers().get("x-claude-code-session-id")).isEqualTo("0f7a");
        assertThat(out.headers().contains("connection")).isFalse();
        assertThat(out.headers().contains("x-hop")).isFalse();
        assertThat(out.headers().contains("keep-alive")).isFalse();
        assertThat(out.headers().contains("x-claude-lb-upstream")).isFalse();
        assertThat(out.headers().get("accept-encoding")).isEqualTo("identity");
        assertThat(out.headers().get("content-length")).isEqualTo("42");
    }

    @Test
    void apiKeyUpstreamsGetXApiKey() {
        UpstreamConfig u = upstream(UpstreamKind.ANTHROPIC, UpstreamAuth.apiKey("sk-ant-up"), null);
        HttpRequest out = UpstreamRequests.head(claudeCodeRequest(), u, u.messagesPath(), null, 1);
        assertThat(out.uri()).isEqualTo("/serving-endpoints/v1/messages?beta=true");
        assertThat(out.headers().get("x-api-key")).isEqualTo("sk-ant-up");
        assertThat(out.headers().contains("authorization")).isFalse();
    }

    @Test
    void passthroughForwardsTheCallersOwnCredential() {
        UpstreamAuth passthrough = new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null);
        UpstreamConfig u = upstream(UpstreamKind.ANTHROPIC, passthrough, null);
        HttpRequest out = UpstreamRequests.head(claudeCodeRequest(), u, u.messagesPath(), null, 1);
        assertThat(out.headers().get("authorization")).isEqualTo("Bearer sk-client");
        assertThat(out.headers().get("x-api-key")).isEqualTo("sk-client2");
    }

    @Test
    void openAiUpstreamsGetAnAllowListOfHeadersAndABearerCredential() {
        HttpRequest client = claudeCodeRequest();
        client.headers().set("accept", "application/json").set("http-referer", "https://example.dev")
                .set("x-title", "team-gateway");
        UpstreamConfig u = UpstreamConfig.builder("or", UpstreamKind.OPENAI).baseUrl("https://openrouter.ai/api/v1")
                .auth(UpstreamAuth.apiKey("sk-or-secret")).build();

        HttpRequest out = UpstreamRequests.head(client, u, u.messagesPath(), null, 42);

        assertThat(out.uri()).isEqualTo("/api/v1/chat/completions");
        assertThat(out.headers().get("authorization")).isEqualTo("Bearer sk-or-secret");
        assertThat(out.headers().names()).containsExactlyInAnyOrder("accept", "user-agent", "http-referer",
                "x-title", "host", "content-length", "content-type", "accept-encoding", "authorization");
        assertThat(out.headers().get("host")).isEqualTo("openrouter.ai");
        assertThat(out.headers().get("user-agent")).isEqualTo("claude-cli/2.1.330 (external, cli)");
        assertThat(out.headers().get("content-type")).isEqualTo("application/json");
        assertThat(out.headers().get("accept-encoding")).isEqualTo("identity");
        assertThat(out.headers().get("content-length")).isEqualTo("42");
    }

    @Test
    void openAiUpstreamsTakeBearerTokensAndTheCallersKeyAsBearer() {
        URI base = URI.create("http://vllm.internal:8000/v1");
        UpstreamConfig bearer = UpstreamConfig.builder("v", UpstreamKind.OPENAI).baseUrl(base)
                .auth(UpstreamAuth.bearer("tok")).build();
        assertThat(UpstreamRequests.head(claudeCodeRequest(), bearer, bearer.messagesPath(), null, 1).headers()
                .get("authorization")).isEqualTo("Bearer tok");

        UpstreamConfig passthrough = UpstreamConfig.builder("p", UpstreamKind.OPENAI).baseUrl(base)
                .auth(new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null)).build();
        HttpRequest withKeyOnly = claudeCodeRequest();
        withKeyOnly.headers().remove("authorization");
        HttpRequest out = UpstreamRequests.head(withKeyOnly, passthrough, passthrough.messagesPath(), null, 1);
        assertThat(out.headers().get("authorization")).isEqualTo("Bearer sk-client2");
        assertThat(out.headers().contains("x-api-key")).isFalse();
        assertThat(UpstreamRequests.head(claudeCodeRequest(), passthrough, passthrough.messagesPath(), null, 1)
                .headers().get("authorization")).isEqualTo("Bearer sk-client");

        UpstreamConfig none = UpstreamConfig.builder("n", UpstreamKind.OPENAI).baseUrl(base).build();
        assertThat(UpstreamRequests.head(claudeCodeRequest(), none, none.messagesPath(), null, 1).headers()
                .contains("authorization")).isFalse();
    }

    @Test
    void betaDenyListRemovesOnlyTheListedFlags() {
        UpstreamConfig u = upstream(UpstreamKind.ANTHROPIC, UpstreamAuth.apiKey("k"),
                new BetaFilter(null, Set.of("interleaved-thinking-2025-05-14")));
        HttpRequest out = UpstreamRequests.head(claudeCodeRequest(), u, u.messagesPath(), null, 1);
        assertThat(out.headers().get("anthropic-beta")).isEqualTo("claude-code-20250219");
    }

    @Test
    void passthroughForAnAuthenticatedClientSendsOnlyItsDedicatedUpstreamCredential() {
        UpstreamAuth passthrough = new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null);
        UpstreamConfig u = upstream(UpstreamKind.ANTHROPIC, passthrough, null);
        HttpRequest client = claudeCodeRequest();
        HttpRequest none = UpstreamRequests.head(client, u, u.messagesPath(), null,
                CallerCredential.of(client.headers(), true), 1);
        assertThat(none.headers().contains("authorization")).isFalse();
        assertThat(none.headers().contains("x-api-key")).isFalse();
        client.headers().set("x-claude-lb-upstream-api-key", "sk-ant-own");
        HttpRequest own = UpstreamRequests.head(client, u, u.messagesPath(), null,
                CallerCredential.of(client.headers(), true), 1);
        assertThat(own.headers().get("x-api-key")).isEqualTo("sk-ant-own");
        assertThat(own.headers().contains("authorization")).isFalse();
        assertThat(own.headers().contains("x-claude-lb-upstream-api-key")).isFalse();
    }

    @Test
    void tokenBasedUpstreamsGetTheCurrentAccessTokenAndNeverTheClientsCredential() {
        UpstreamAuth oauth = new UpstreamAuth(AuthType.DATABRICKS_OAUTH, null, Secret.of("id"), Secret.of("secret"),
                URI.create("https://adb-1.azuredatabricks.net/oidc/v1/token"), null);
        UpstreamConfig u = upstream(UpstreamKind.DATABRICKS, oauth, null);
        HttpRequest out = UpstreamRequests.head(claudeCodeRequest(), u, u.messagesPath(), "at-123",
                CallerCredential.NONE, 1);
        assertThat(out.headers().getAll("authorization")).containsExactly("Bearer at-123");
        assertThat(out.headers().contains("x-api-key")).isFalse();
    }
}
