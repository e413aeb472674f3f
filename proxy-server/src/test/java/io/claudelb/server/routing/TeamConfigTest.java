package io.claudelb.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockAuth;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockTokens;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import java.util.Base64;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The "done when": config/examples/team.yaml, unchanged, with its addresses pointed at mocks through the
 * environment, routes opus to two Databricks workspaces (one with OAuth M2M), sonnet to an Anthropic key with a relay
 * as fallback, and haiku through a corporate CONNECT proxy with Basic credentials.
 */
class TeamConfigTest {
    private static final String ALICE = "Bearer lb-alice-key";
    private MockUpstream east;
    private MockUpstream west;
    private MockUpstream anthropic;
    private MockUpstream relay;
    private TestConnectProxy corporate;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        east = MockUpstream.start(MockOptions.builder().name("ws-east").ioThreads(1).build());
        west = MockUpstream.start(MockOptions.builder().name("ws-west").ioThreads(1)
                .auth(MockAuth.builder().requireBearer(true).client("sp-west", "sp-west-secret").build()).build());
        anthropic = MockUpstream.start(MockOptions.builder().name("anthropic").ioThreads(1).build());
        relay = MockUpstream.start(MockOptions.builder().name("relay").ioThreads(1).build());
        corporate = new TestConnectProxy("corp-user", "corp-pass");
        Map<String, String> env = new HashMap<>();
        env.put("ALICE_KEY", "lb-alice-key");
        env.put("DATABRICKS_TOKEN_EAST", "dapi-east");
        env.put("DATABRICKS_CLIENT_ID_WEST", "sp-west");
        env.put("DATABRICKS_CLIENT_SECRET_WEST", "sp-west-secret");
        env.put("ANTHROPIC_API_KEY", "sk-ant-team");
        env.put("RELAY_TOKEN", "relay-team");
        env.put("WS_EAST_URL", east.baseUrl() + "/serving-endpoints");
        env.put("WS_WEST_URL", west.baseUrl() + "/serving-endpoints");
        env.put("ANTHROPIC_URL", anthropic.baseUrl());
        env.put("RELAY_URL", relay.baseUrl() + "/claude");
        env.put("CORPORATE_PROXY", corporate.url());
        env.put("CORPORATE_PROXY_USER", "corp-user");
        env.put("CORPORATE_PROXY_PASSWORD", "corp-pass");
        GatewayConfig config = ConfigFiles.parseOnFreePort(ConfigFiles.text("examples/team.yaml"), "team.yaml", env);
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() throws Exception {
        proxy.stop(Duration.ofSeconds(2));
        corporate.close();
        for (MockUpstream m : List.of(east, west, anthropic, relay)) {
            m.close();
        }
    }

    private Http.Reply send(String model, String session) {
        return Http.post(proxy, "/v1/messages", Http.messages(model), "authorization", ALICE,
                "x-claude-code-session-id", session);
    }

    private static List<RecordedRequest> messages(MockUpstream mock) {
        return mock.requests().stream().filter(r -> r.uri().endsWith("/v1/messages")).toList();
    }

    @Test
    void opusIsSpreadOverBothWorkspacesTheOAuthOneWithAFetchedToken() {
        for (int i = 0; i < 6; i++) {
            Http.Reply r = send("claude-opus-4-5-20251101", "opus-session-" + i);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-claude-lb-upstream")).isIn("ws-east", "ws-west");
        }
        assertThat(messages(east)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.uri()).isEqualTo("/serving-endpoints/anthropic/v1/messages");
            assertThat(r.header("authorization")).isEqualTo("Bearer dapi-east");
            assertThat(Json.field(r.bodyText(), "model")).isEqualTo("databricks-claude-opus-4-5");
        });
        assertThat(messages(west)).isNotEmpty().allSatisfy(r -> {
            assertThat(r.header("authorization")).isEqualTo("Bearer " + MockTokens.token(1));
            assertThat(Json.field(r.bodyText(), "model")).isEqualTo("databricks-claude-opus-4-5");
        });
        assertThat(messages(east).size() + messages(west).size()).isEqualTo(6);
        RecordedRequest tokenCall = west.requests().stream().filter(r -> r.uri().equals("/oidc/v1/token"))
                .findFirst().orElseThrow();
        assertThat(tokenCall.header("authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("sp-west:sp-west-secret".getBytes()));
        assertThat(west.tokens().issuedCount()).isEqualTo(1);

        // East failing: opus keeps working on west.
        east.setBehaviour(MockBehaviour.builder().errorStatus(529).build());
        for (int i = 0; i < 3; i++) {
            Http.Reply r = send("claude-opus-4-5", "failover-" + i);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-claude-lb-upstream")).isEqualTo("ws-west");
        }
    }

    @Test
    void sonnetUsesTheAnthropicKeyAndFallsBackToTheRelay() {
        Http.Reply r = send("claude-sonnet-4-5", "sonnet-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("anthropic");
        RecordedRequest sent = messages(anthropic).get(0);
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-team");
        assertThat(sent.header("authorization")).isNull();
        assertThat(Json.field(sent.bodyText(), "model")).isEqualTo("claude-sonnet-4-5");

        anthropic.setBehaviour(MockBehaviour.builder().errorStatus(529).build());
        Http.Reply fallback = send("claude-sonnet-4-5", "sonnet-2");
        assertThat(fallback.status()).isEqualTo(200);
        assertThat(fallback.header("x-claude-lb-upstream")).isEqualTo("relay");
        RecordedRequest relayed = messages(relay).get(0);
        assertThat(relayed.uri()).isEqualTo("/claude/v1/messages");
        assertThat(relayed.header("authorization")).isEqualTo("Bearer relay-team");
        assertThat(relayed.header("x-api-key")).isNull();
        assertThat(corporate.connects()).isEmpty();
    }

    @Test
    void haikuGoesThroughTheCorporateProxy() {
        Http.Reply r = send("claude-haiku-4-5", "haiku-1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("anthropic-via-proxy");
        assertThat(corporate.connects()).singleElement().satisfies(c -> {
            assertThat(c.target()).isEqualTo("127.0.0.1:" + anthropic.port());
            assertThat(c.proxyAuthorization()).isEqualTo("Basic "
                    + Base64.getEncoder().encodeToString("corp-user:corp-pass".getBytes()));
        });
        assertThat(messages(anthropic).get(0).header("x-api-key")).isEqualTo("sk-ant-team");
    }

    @Test
    void everythingNeedsAliceKeyAndOtherModelsAreNotServed() {
        Http.Reply anonymous = Http.post(proxy, "/v1/messages", Http.messages("claude-opus-4-5"));
        assertThat(anonymous.status()).isEqualTo(401);
        Http.Reply other = send("gpt-4o", "x");
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.field("error.message")).contains("gpt-4o");
        assertThat(messages(east)).isEmpty();
        assertThat(messages(west)).isEmpty();
    }
}
