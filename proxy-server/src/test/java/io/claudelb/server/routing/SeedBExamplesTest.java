package io.claudelb.server.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ConfigFormat;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Seed B's example files from config/examples, unchanged except that each provider's base URL points at a mock:
 * they start a server that routes as seed B's users expect (with seed B's bugs fixed: the route's model is applied
 * to anthropic providers too, and patterns match the whole name).
 */
class SeedBExamplesTest {
    private final List<MockUpstream> mocks = new ArrayList<>();
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(2));
        }
        mocks.forEach(MockUpstream::close);
    }

    private MockUpstream mock(String name) {
        MockUpstream m = MockUpstream.start(MockOptions.builder().name(name).ioThreads(1).build());
        mocks.add(m);
        return m;
    }

    private static String model(RecordedRequest r) {
        return Json.field(r.bodyText(), "model");
    }

    @Test
    void configYamlRoutesByModelRoutesAndHonoursTheProviderField() throws Exception {
        MockUpstream gac = mock("gac");
        MockUpstream openrouter = mock("openrouter");
        MockUpstream together = mock("together");
        String yaml = ConfigFiles.text("examples/seed-b-config.yaml")
                .replace("https://gaccode.com/claudecode", gac.baseUrl() + "/claudecode")
                .replace("https://openrouter.ai/api/v1", openrouter.baseUrl() + "/api/v1")
                .replace("https://api.together.xyz/v1", together.baseUrl() + "/v1");
        GatewayConfig config = ConfigFiles.parseOnFreePort(yaml, "seed-b-config.yaml",
                Map.of("TOGETHER_API_KEY", "together-key"));
        assertThat(config.format()).isEqualTo(ConfigFormat.SEED_B);
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");

        // *sonnet*: GAC first (priority 1), model passthrough, its api_key as x-api-key.
        Http.Reply sonnet = Http.post(proxy, "/v1/messages", Http.messages("claude-3-5-sonnet-20241022"));
        assertThat(sonnet.status()).isEqualTo(200);
        assertThat(sonnet.header("x-claude-lb-upstream")).isEqualTo("GAC");
        RecordedRequest sent = gac.requests().get(0);
        assertThat(sent.uri()).isEqualTo("/claudecode/v1/messages");
        assertThat(sent.header("x-api-key")).isEqualTo("your-api-key-here");
        assertThat(model(sent)).isEqualTo("claude-3-5-sonnet-20241022");

        // *haiku*: Together (openai, priority 1) then GAC (priority 2); the order is the route's.
        RouteDecision haiku = proxy.gateway().snapshot().router().route("claude-3-haiku-20240307");
        assertThat(haiku.targets()).extracting(Target::name).containsExactly("Together", "GAC");
        assertThat(haiku.targets().get(0).model()).isEqualTo("meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo");
        assertThat(haiku.targets().get(0).upstream().auth().token().reveal()).isEqualTo("together-key");

        // Seed B's "provider" body field picks GAC for haiku and never reaches it.
        gac.clearRequests();
        Http.Reply forced = Http.post(proxy, "/v1/messages", "{\"model\":\"claude-3-haiku-20240307\","
                + "\"provider\":\"GAC\",\"max_tokens\":8,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(forced.status()).isEqualTo(200);
        assertThat(gac.requests().get(0).bodyText()).doesNotContain("provider")
                .contains("\"model\":\"claude-3-haiku-20240307\"");
        assertThat(together.requests()).isEmpty();

        // No route for opus in this file: 404 naming the model, as seed B answered.
        Http.Reply opus = Http.post(proxy, "/v1/messages", Http.messages("claude-opus-4-5"));
        assertThat(opus.status()).isEqualTo(404);
        assertThat(opus.field("error.message")).contains("claude-opus-4-5");
    }

    @Test
    void providersYamlSendsBigAndSmallModelsAndFailsOverInFileOrder() throws Exception {
        MockUpstream official = mock("official");
        MockUpstream custom = mock("custom");
        MockUpstream openrouter = mock("openrouter");
        MockUpstream passthrough = mock("passthrough");
        String yaml = ConfigFiles.text("examples/seed-b-providers.yaml")
                .replace("https://api.anthropic.com", official.baseUrl())
                .replace("https://your-claude-provider.com", custom.baseUrl())
                .replace("https://openrouter.ai/api/v1", openrouter.baseUrl() + "/api/v1")
                .replace("https://api.claude-provider.com", passthrough.baseUrl());
        GatewayConfig config = ConfigFiles.parseOnFreePort(yaml, "seed-b-providers.yaml", Map.of());
        assertThat(config.format()).isEqualTo(ConfigFormat.SEED_B_PROVIDERS);
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");

        assertThat(Http.post(proxy, "/v1/messages", Http.messages("claude-opus-4-5")).status()).isEqualTo(200);
        assertThat(Http.post(proxy, "/v1/messages", Http.messages("claude-3-5-haiku-latest")).status())
                .isEqualTo(200);
        assertThat(Http.post(proxy, "/v1/messages", Http.messages("some-other-model")).status()).isEqualTo(200);
        assertThat(official.requests()).extracting(SeedBExamplesTest::model).containsExactly(
                "claude-3-5-sonnet-20241022", "claude-3-5-haiku-20241022", "claude-3-5-sonnet-20241022");
        assertThat(official.requests().get(0).header("x-api-key")).isEqualTo("sk-ant-your-actual-key-here");

        // The first provider failing: the second one (auth_token = Bearer) gets the request, with its big model.
        official.setBehaviour(MockBehaviour.builder().errorStatus(529).build());
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("custom_claude_provider");
        RecordedRequest sent = custom.requests().get(0);
        assertThat(sent.header("authorization")).isEqualTo("Bearer your-auth-token-here");
        assertThat(model(sent)).isEqualTo("claude-3-5-sonnet-20241022");

        // big_model: passthrough keeps the client's model.
        Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"), "x-claude-lb-upstream",
                "passthrough_provider");
        assertThat(passthrough.requests()).extracting(SeedBExamplesTest::model).containsExactly("claude-sonnet-4-5");
        assertThat(openrouter.requests()).isEmpty();
    }
}
