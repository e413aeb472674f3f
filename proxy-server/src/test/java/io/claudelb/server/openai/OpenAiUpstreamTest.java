package io.claudelb.server.openai;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.OpenAiSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests through claude-lb to OpenAI-mode mocks over loopback: what the upstream receives (a Chat Completions
 * request, bearer credential, no Anthropic headers) and what the client gets back (Anthropic messages, streams and
 * errors), plus failover between two OpenAI upstreams with the same rules as for Anthropic ones.
 */
class OpenAiUpstreamTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final String UPSTREAM_MODEL = "gpt-mock-1";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private MockUpstream a;
    private MockUpstream b;
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        for (MockUpstream mock : new MockUpstream[] {a, b}) {
            if (mock != null) {
                mock.close();
            }
        }
    }

    /** One OpenAI upstream {@code a} serving every model as {@link #UPSTREAM_MODEL}. */
    private void oneUpstream(MockBehaviour behaviour) throws InterruptedException {
        a = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).behaviour(behaviour).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .openai("a", a.baseUrl() + "/v1", OpenAiSettings.DEFAULTS)
                .route(new RouteConfig("*", List.of(new TargetConfig("a", UPSTREAM_MODEL, 0, 0)), null))
                .build(), NanoClock.SYSTEM, "test");
    }

    /** OpenAI upstreams {@code a} (tried first) and {@code b}. */
    private void twoUpstreams(MockBehaviour first, MockBehaviour second) throws InterruptedException {
        a = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).behaviour(first).build());
        b = MockUpstream.start(MockOptions.builder().name("b").ioThreads(1).behaviour(second).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .openai("a", a.baseUrl() + "/v1", OpenAiSettings.DEFAULTS)
                .openai("b", b.baseUrl() + "/v1", OpenAiSettings.DEFAULTS)
                .route(new RouteConfig("*", List.of(new TargetConfig("a", UPSTREAM_MODEL, 0, 0),
                        new TargetConfig("b", UPSTREAM_MODEL, 1, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    private static String request(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"stream\":" + stream
                + ",\"metadata\":{\"user_id\":\"user_abc\"},\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + "/v1/messages"))
                .header("content-type", "application/json")
                .header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "interleaved-thinking-2025-05-14")
                .header("x-api-key", "sk-ant-client")
                .header("x-stainless-retry-count", "0")
                .header("user-agent", "claude-cli/2.1.0 (external, cli)")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonAnswerIsTranslatedWithItsOwnLength() throws Exception {
        oneUpstream(MockBehaviour.defaults());
        MockCalls upstream = new MockCalls(a);
        String reasoning = upstream.reasoning();
        String text = upstream.text();
        a.clearRequests();

        HttpResponse<String> response = post(request(false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().firstValue("content-length"))
                .contains(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(response.headers().firstValue("x-claude-lb-upstream")).contains("a");
        assertThat(response.headers().firstValue("x-claude-lb-request-id")).isPresent();
        // The OpenAI upstream's own headers (here the mock's request-id and rate-limit figures) stay behind.
        assertThat(response.headers().firstValue("request-id")).isEmpty();
        assertThat(response.headers().firstValue("anthropic-ratelimit-requests-limit")).isEmpty();
        String body = response.body();
        assertThat(Json.field(body, "type")).isEqualTo("message");
        assertThat(Json.field(body, "id")).startsWith("msg_chatcmpl-mock-");
        assertThat(Json.field(body, "model")).isEqualTo(MODEL);
        assertThat(Json.field(body, "content.0.type")).isEqualTo("thinking");
        assertThat(Json.field(body, "content.0.thinking")).isEqualTo(reasoning);
        assertThat(Json.field(body, "content.1.type")).isEqualTo("text");
        assertThat(Json.field(body, "content.1.text")).isEqualTo(text).startsWith("Hello from the claude-lb mock");
        assertThat(Json.field(body, "content.2")).isNull();
        assertThat(Json.field(body, "stop_reason")).isEqualTo("end_turn");
        assertThat(Json.field(body, "usage.cache_read_input_tokens")).isEqualTo("8");

        RecordedRequest sent = a.requests().get(0);
        assertThat(sent.uri()).isEqualTo("/v1/chat/completions");
        assertThat(sent.header("authorization")).isEqualTo("Bearer sk-openai-a");
        assertThat(sent.header("content-type")).isEqualTo("application/json");
        assertThat(sent.header("user-agent")).isEqualTo("claude-cli/2.1.0 (external, cli)");
        assertThat(sent.headers().keySet()).noneMatch(name -> name.startsWith("anthropic-")
                || name.startsWith("x-stainless-") || name.equals("x-api-key"));
        String upstreamBody = sent.bodyText();
        assertThat(Json.field(upstreamBody, "model")).isEqualTo(UPSTREAM_MODEL);
        assertThat(Json.field(upstreamBody, "max_tokens")).isEqualTo("100");
        assertThat(Json.field(upstreamBody, "user")).isEqualTo("user_abc");
        assertThat(Json.field(upstreamBody, "messages.0.content")).isEqualTo("Hi");
        assertThat(Json.field(upstreamBody, "stream")).isNull();
        assertThat(Json.field(upstreamBody, "metadata")).isNull();
    }

    @Test
    void streamIsTranslatedEventByEventWithReasoningAsThinking() throws Exception {
        oneUpstream(MockBehaviour.builder().textEvents(5).build());
        MockCalls upstream = new MockCalls(a);
        String reasoning = upstream.reasoning();
        String text = upstream.text();
        a.clearRequests();

        HttpResponse<String> response = post(request(true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream; charset=utf-8");
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        Sse events = Sse.strict(response.body());
        assertThat(events.eventNames()).containsExactly("message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        assertThat(events.events().get(0).field("message.model")).isEqualTo(MODEL);
        assertThat(events.blockTypes()).containsExactly("thinking", "text");
        assertThat(events.deltas(0, "thinking")).isEqualTo(reasoning);
        assertThat(events.deltas(1, "text")).isEqualTo(text);
        assertThat(events.messageDelta().field("delta.stop_reason")).isEqualTo("end_turn");
        assertThat(events.messageDelta().field("usage.cache_read_input_tokens")).isEqualTo("8");
        assertThat(events.messageDelta().field("usage.output_tokens")).isNotEqualTo("0");

        String upstreamBody = a.requests().get(0).bodyText();
        assertThat(Json.field(upstreamBody, "stream")).isEqualTo("true");
        assertThat(Json.field(upstreamBody, "stream_options.include_usage")).isEqualTo("true");
    }

    /** Several tool calls whose arguments arrive in fragments, ids and names early or late. */
    @ParameterizedTest(name = "tool id and name late: {0}")
    @ValueSource(booleans = {false, true})
    void streamedToolCallsBecomeToolUseBlocks(boolean lateToolIds) throws Exception {
        oneUpstream(MockBehaviour.builder().thinking(false).textEvents(2).openAiToolCalls(2)
                .openAiLateToolIds(lateToolIds).build());
        MockCalls upstream = new MockCalls(a);

        Sse events = Sse.strict(post(request(true)).body());

        assertThat(events.blockTypes()).containsExactly("text", "tool_use", "tool_use");
        for (int call = 0; call < 2; call++) {
            Sse.Event start = events.blockStart(call + 1);
            assertThat(start.field("content_block.id")).startsWith("call_mock_").endsWith("_" + call);
            assertThat(start.field("content_block.name")).isEqualTo("get_weather");
            assertThat(events.deltas(call + 1, "partial_json")).isEqualTo(upstream.toolArguments(call));
        }
        assertThat(events.messageDelta().field("delta.stop_reason")).isEqualTo("tool_use");
        assertThat(events.last().event()).isEqualTo("message_stop");
    }

    /**
     * A passthrough upstream refusing the caller's own key: the client hears a translated 401 (with claude-lb's own
     * credential a 401 is the proxy's problem and fails over instead; see the failover tests).
     */
    @Test
    void aPassthroughUpstreamsRefusalReachesTheClientAs401() throws Exception {
        a = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1)
                .behaviour(MockBehaviour.builder().errorStatus(401).build()).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .upstream("a", UpstreamKind.OPENAI, a.baseUrl() + "/v1",
                        new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null))
                .route(new RouteConfig("*", List.of(new TargetConfig("a", UPSTREAM_MODEL, 0, 0)), null))
                .build(), NanoClock.SYSTEM, "test");

        HttpResponse<String> response = post(request(false));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(Json.field(response.body(), "error.type")).isEqualTo("authentication_error");
        assertThat(Json.field(response.body(), "error.message")).contains("mock: invalid x-api-key");
        assertThat(a.requests().get(0).header("authorization")).isEqualTo("Bearer sk-ant-client");
    }

    /** Upstream HTTP errors reach the client Anthropic-shaped, status and provider message kept. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, invalid_request_error, mock: injected error 400",
        "404, not_found_error, mock: not found",
        "429, rate_limit_error, mock: rate limited",
        "500, api_error, mock: injected error 500",
        "503, overloaded_error, Overloaded"})
    void errorStatusesAreTranslated(int status, String type, String message) throws Exception {
        oneUpstream(MockBehaviour.builder().errorStatus(status).retryAfter("7").build());

        HttpResponse<String> response = post(request(true));

        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).contains("application/json");
        assertThat(response.headers().firstValue("retry-after")).contains("7");
        assertThat(response.headers().firstValue("content-length"))
                .contains(String.valueOf(response.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(Json.field(response.body(), "type")).isEqualTo("error");
        assertThat(Json.field(response.body(), "error.type")).isEqualTo(type);
        assertThat(Json.field(response.body(), "error.message")).isEqualTo(message);
        assertThat(a.requests()).hasSize(1);
    }

    /** A failing OpenAI upstream fails over to the next one, by status or by an error chunk in its stream. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"status 500", "status 429", "in-stream error chunk", "reset before headers"})
    void failsOverFromAFailingOpenAiUpstream(String failure) throws Exception {
        MockBehaviour failing = switch (failure) {
            case "status 500" -> MockBehaviour.builder().errorStatus(500).build();
            case "status 429" -> MockBehaviour.builder().errorStatus(429).retryAfter("30").build();
            case "in-stream error chunk" -> MockBehaviour.builder().inBandError(true).build();
            default -> MockBehaviour.builder().resetBeforeHeaders(true).build();
        };
        twoUpstreams(failing, MockBehaviour.defaults());

        HttpResponse<String> response = post(request(true));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-claude-lb-upstream")).contains("b");
        Sse events = Sse.strict(response.body());
        assertThat(events.eventNames()).doesNotContain("error");
        assertThat(events.last().event()).isEqualTo("message_stop");
        assertThat(a.requests()).hasSize(1);
        assertThat(b.requests()).hasSize(1);
    }

    @Test
    void upstreamResetMidStreamEndsWithOneErrorEvent() throws Exception {
        // Role chunk, two reasoning chunks, then three text chunks reach the client before the reset.
        oneUpstream(MockBehaviour.builder().resetAfterEvents(6).build());

        HttpResponse<String> response = post(request(true));

        assertThat(response.statusCode()).isEqualTo(200);
        Sse events = Sse.strict(response.body());
        assertThat(events.eventNames()).startsWith("message_start", "ping", "content_block_start")
                .doesNotContain("message_stop", "message_delta");
        assertThat(events.eventNames().stream().filter("error"::equals)).hasSize(1);
        assertThat(events.last().event()).isEqualTo("error");
        assertThat(events.last().field("error.type")).isEqualTo("api_error");
    }

    @Test
    void aRequestThatCannotBeTranslatedIsRefusedWithoutCallingTheUpstream() throws Exception {
        oneUpstream(MockBehaviour.defaults());

        HttpResponse<String> response = post("{\"model\":\"" + MODEL + "\",\"max_tokens\":10,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hi\"}],\"tools\":[{\"name\":\"t\",\"input_schema\":"
                + "{\"type\":\"object\"}}],\"tool_choice\":{\"type\":\"sometimes\"}}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Json.field(response.body(), "error.type")).isEqualTo("invalid_request_error");
        assertThat(Json.field(response.body(), "error.message")).contains("tool_choice.type");
        assertThat(a.requests()).isEmpty();
    }

    @Test
    void aTargetWithoutAModelSendsTheClientsModel() throws Exception {
        a = MockUpstream.start(MockOptions.builder().name("a").ioThreads(1).build());
        proxy = ProxyServer.start(TestConfigs.proxy().openai("a", a.baseUrl() + "/v1", OpenAiSettings.DEFAULTS)
                .build(), NanoClock.SYSTEM, "test");

        assertThat(post(request(false)).statusCode()).isEqualTo(200);
        assertThat(Json.field(a.requests().get(0).bodyText(), "model")).isEqualTo(MODEL);

        HttpResponse<String> noModel = post("{\"model\":\"\",\"max_tokens\":10,\"messages\":[]}");
        assertThat(noModel.statusCode()).isEqualTo(400);
        assertThat(Json.field(noModel.body(), "error.message")).isEqualTo("model: must not be empty");
        assertThat(a.requests()).hasSize(1);
    }

    @Test
    void anAnswerThatIsNotAChatCompletionIsABadGatewayNotRelayed() throws Exception {
        oneUpstream(MockBehaviour.builder().fixedBody("{\"unexpected\":\"shape\"}").build());

        HttpResponse<String> response = post(request(false));

        assertThat(response.statusCode()).isGreaterThanOrEqualTo(500);
        assertThat(Json.field(response.body(), "type")).isEqualTo("error");
        assertThat(Json.field(response.body(), "error.type")).isEqualTo("api_error");
        assertThat(response.body()).doesNotContain("unexpected");
    }

    @Test
    void keepAliveConnectionsServeSeveralTranslatedAnswers() throws Exception {
        oneUpstream(MockBehaviour.defaults());

        for (int i = 0; i < 3; i++) {
            assertThat(post(request(i % 2 == 0)).statusCode()).isEqualTo(200);
        }

        List<RecordedRequest> sent = a.requests();
        assertThat(sent).hasSize(3);
        assertThat(sent).extracting(RecordedRequest::connectionId).containsOnly(sent.get(0).connectionId());
    }
}
