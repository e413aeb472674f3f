package io.claudelb.server.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.DatabricksApi;
import io.claudelb.core.config.DatabricksSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code databricks} upstream with {@code api: ai_gateway} through claude-lb over loopback, without discovery: the
 * request goes to the workspace's {@code /ai-gateway/anthropic/v1/messages} whether the base URL names the workspace
 * root or, seed A's style, its {@code /serving-endpoints}; a Claude name becomes {@code system.ai.<family-version>}
 * (date dropped), a {@code system.ai.} name is kept; the workspace's bearer token goes as {@code Authorization}; the
 * stream and the JSON answer come back as Anthropic's; count_tokens goes to the gateway's own count_tokens path.
 * Requests pick their upstream with {@code x-claude-lb-upstream}, except through the route that pins a model.
 */
class DatabricksAiGatewayThroughProxyTest {
    private static final String GATEWAY_PATH = "/ai-gateway/anthropic/v1/messages";

    private MockUpstream workspace;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws InterruptedException {
        workspace = MockUpstream.start(MockOptions.builder().name("ws").build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .upstream(gateway("root", workspace.baseUrl()))
                .upstream(gateway("seed-a", workspace.baseUrl() + "/serving-endpoints"))
                .route(new RouteConfig("pinned-opus", List.of(new TargetConfig("root", "system.ai.claude-opus-4-6",
                        0, 0)), Strategy.PRIORITY))
                .route(new RouteConfig("*", List.of(new TargetConfig("root", null, 0, 0),
                        new TargetConfig("seed-a", null, 1, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    private static UpstreamConfig gateway(String name, String baseUrl) {
        return UpstreamConfig.builder(name, UpstreamKind.DATABRICKS).baseUrl(baseUrl)
                .auth(UpstreamAuth.bearer("dapi-" + name)).countTokens(true).timeouts(TestConfigs.FAST)
                .databricks(new DatabricksSettings(false, DatabricksApi.AI_GATEWAY, Duration.ofMinutes(5))).build();
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        workspace.close();
    }

    private RawHttpClient.Response send(String path, String model, boolean stream, String upstream) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post(path, Requests.messages(model, stream),
                "x-claude-lb-upstream: " + upstream));
    }

    private RecordedRequest onlyCall() {
        assertThat(workspace.requests()).hasSize(1);
        return workspace.requests().get(0);
    }

    @ParameterizedTest(name = "{0} base URL, stream {1}")
    @CsvSource({"root, true", "root, false", "seed-a, true", "seed-a, false"})
    void aClaudeNameGoesToTheGatewayAsSystemAi(String upstream, boolean stream) {
        RawHttpClient.Response r = send("/v1/messages", "claude-sonnet-4-5-20250929", stream, upstream);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo(upstream);
        if (stream) {
            assertThat(r.header("content-type")).startsWith("text/event-stream");
            assertThat(r.events()).extracting(Sse.Event::event).startsWith("message_start")
                    .contains("content_block_delta").endsWith("message_stop");
        } else {
            assertThat(r.json().text("type")).isEqualTo("message");
            assertThat(r.json().text("stop_reason")).isEqualTo("end_turn");
        }
        RecordedRequest sent = onlyCall();
        assertThat(sent.uri()).isEqualTo(GATEWAY_PATH);
        assertThat(Json.field(sent.bodyText(), "model")).isEqualTo("system.ai.claude-sonnet-4-5");
        assertThat(Json.field(sent.bodyText(), "stream")).isEqualTo(String.valueOf(stream));
        assertThat(sent.header("authorization")).isEqualTo("Bearer dapi-" + upstream);
        assertThat(sent.header("x-api-key")).isNull();
    }

    @Test
    void aTargetsSystemAiModelIsSentAsItIs() {
        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("pinned-opus", true)));

        assertThat(r.status).isEqualTo(200);
        assertThat(r.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(onlyCall().uri()).isEqualTo(GATEWAY_PATH);
        assertThat(Json.field(onlyCall().bodyText(), "model")).isEqualTo("system.ai.claude-opus-4-6");
    }

    @Test
    void countTokensGoesToTheGatewaysCountTokensPath() {
        RawHttpClient.Response r = send("/v1/messages/count_tokens", "claude-opus-4-7", false, "seed-a");

        assertThat(r.status).isEqualTo(200);
        assertThat(r.json().number("input_tokens")).isPositive();
        assertThat(onlyCall().uri()).isEqualTo(GATEWAY_PATH + "/count_tokens");
        assertThat(Json.field(onlyCall().bodyText(), "model")).isEqualTo("system.ai.claude-opus-4-7");
    }
}
