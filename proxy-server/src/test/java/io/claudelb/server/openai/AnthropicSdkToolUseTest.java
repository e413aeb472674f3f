package io.claudelb.server.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.ObjectMappers;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.claudelb.core.config.OpenAiSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.TestConfigs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 5's acceptance test: the official Anthropic Java SDK runs a two-turn tool-use conversation through
 * claude-lb against an OpenAI Chat Completions upstream (the mock's OpenAI mode). Turn 1 streams a tool call whose
 * arguments arrive in fragments; the SDK must see a tool_use block with exactly that input. Turn 2 sends the
 * tool_result back and gets a final text answer; the upstream must have received it as a {@code tool} message
 * answering the call's id.
 */
class AnthropicSdkToolUseTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final String UPSTREAM_MODEL = "gpt-mock-1";

    private MockUpstream mock;
    private ProxyServer proxy;
    private AnthropicClient client;

    @BeforeEach
    void start() throws InterruptedException {
        mock = MockUpstream.start(MockOptions.builder().name("openai-mock").ioThreads(1).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .openai("openai", mock.baseUrl() + "/v1", OpenAiSettings.DEFAULTS)
                .route(new RouteConfig("*", List.of(new TargetConfig("openai", UPSTREAM_MODEL, 0, 0)), null))
                .build(), NanoClock.SYSTEM, "test");
        client = AnthropicOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + proxy.port())
                .apiKey("sk-ant-client")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        proxy.close();
        mock.close();
    }

    /** Both ways a provider streams a tool call: id and name first, or only after an argument fragment. */
    @ParameterizedTest(name = "tool id and name late: {0}")
    @ValueSource(booleans = {false, true})
    void twoTurnToolUseConversation(boolean lateToolIds) throws JsonProcessingException {
        mock.setBehaviour(MockBehaviour.builder().toolUse(true).openAiLateToolIds(lateToolIds).build());
        String sentArguments = new MockCalls(mock).toolArguments(0);

        MessageCreateParams turn1 = MessageCreateParams.builder()
                .model(MODEL)
                .maxTokens(1024)
                .addTool(weatherTool())
                .addUserMessage("What is the weather in San Francisco?")
                .build();
        StringBuilder partialJson = new StringBuilder();
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(turn1)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                event.contentBlockDelta().flatMap(d -> d.delta().inputJson())
                        .ifPresent(delta -> partialJson.append(delta.partialJson()));
            });
        }
        Message first = accumulator.message();

        assertThat(first.model().asString()).isEqualTo(MODEL);
        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(first.content()).extracting(ContentBlock::isThinking, ContentBlock::isText, ContentBlock::isToolUse)
                .containsExactly(tuple(true, false, false), tuple(false, true, false), tuple(false, false, true));
        ToolUseBlock toolUse = first.content().get(2).asToolUse();
        assertThat(toolUse.name()).isEqualTo("get_weather");
        assertThat(toolUse.id()).startsWith("call_mock_");
        // The fragments the upstream streamed arrive as input_json_delta, none lost or reordered...
        assertThat(partialJson.toString()).isEqualTo(sentArguments);
        // ...and the SDK's parsed input is that same JSON document.
        assertThat(ObjectMappers.jsonMapper().writeValueAsString(toolUse._input())).isEqualTo(sentArguments);
        assertThat(first.usage().cacheReadInputTokens()).contains(8L);

        mock.setBehaviour(MockBehaviour.builder().thinking(false).build());
        mock.clearRequests();
        MessageCreateParams turn2 = turn1.toBuilder()
                .addMessage(first)
                .addUserMessageOfContentBlockParams(List.of(ContentBlockParam.ofToolResult(
                        ToolResultBlockParam.builder().toolUseId(toolUse.id()).content("18 degrees, sunny").build())))
                .build();
        Message second = client.messages().create(turn2);

        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        assertThat(second.content()).hasSize(1);
        assertThat(second.content().get(0).asText().text()).startsWith("Hello from the claude-lb mock upstream.");

        List<RecordedRequest> received = mock.requests();
        assertThat(received).hasSize(1);
        RecordedRequest upstream = received.get(0);
        assertThat(upstream.uri()).isEqualTo("/v1/chat/completions");
        assertThat(upstream.header("authorization")).isEqualTo("Bearer sk-openai-openai");
        assertThat(upstream.header("x-api-key")).isNull();
        assertThat(upstream.header("anthropic-version")).isNull();
        String body = upstream.bodyText();
        assertThat(Json.field(body, "model")).isEqualTo(UPSTREAM_MODEL);
        assertThat(Json.field(body, "messages.0.role")).isEqualTo("user");
        assertThat(Json.field(body, "messages.0.content")).isEqualTo("What is the weather in San Francisco?");
        assertThat(Json.field(body, "messages.1.role")).isEqualTo("assistant");
        assertThat(Json.field(body, "messages.1.tool_calls.0.id")).isEqualTo(toolUse.id());
        assertThat(Json.field(body, "messages.1.tool_calls.0.type")).isEqualTo("function");
        assertThat(Json.field(body, "messages.1.tool_calls.0.function.name")).isEqualTo("get_weather");
        assertThat(Json.field(body, "messages.1.tool_calls.0.function.arguments")).isEqualTo(sentArguments);
        assertThat(Json.field(body, "messages.2.role")).isEqualTo("tool");
        assertThat(Json.field(body, "messages.2.tool_call_id")).isEqualTo(toolUse.id());
        assertThat(Json.field(body, "messages.2.content")).isEqualTo("18 degrees, sunny");
        assertThat(Json.field(body, "messages.3")).isNull();
        assertThat(Json.field(body, "tools.0.function.name")).isEqualTo("get_weather");
        assertThat(Json.field(body, "tools.0.function.parameters.required.0")).isEqualTo("location");
        assertThat(body).doesNotContain("thinking").doesNotContain("signature");
    }

    private static Tool weatherTool() {
        return Tool.builder()
                .name("get_weather")
                .description("The current weather at a place")
                .inputSchema(Tool.InputSchema.builder()
                        .properties(Tool.InputSchema.Properties.builder()
                                .putAdditionalProperty("location", JsonValue.from(Map.of("type", "string")))
                                .putAdditionalProperty("unit", JsonValue.from(
                                        Map.of("type", "string", "enum", List.of("celsius", "fahrenheit"))))
                                .build())
                        .required(List.of("location"))
                        .build())
                .build();
    }
}
