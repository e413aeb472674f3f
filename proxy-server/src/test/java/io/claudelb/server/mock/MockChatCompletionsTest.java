package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock's OpenAI Chat Completions mode over loopback: JSON and stream shapes, tool-call fragments, errors. */
class MockChatCompletionsTest {
    private static final String MODEL = "gpt-mock-1";
    private static final String PATH = "/api/v1/chat/completions";

    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockOptions.builder().name("oai").ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private static String body(boolean stream, boolean includeUsage) {
        return "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok\"}],\"stream\":"
                + stream + (includeUsage ? ",\"stream_options\":{\"include_usage\":true}" : "") + "}";
    }

    private RawHttpClient.Response call(String body, String... headers) {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post(PATH, body, headers));
            return connection.read();
        }
    }

    /** The {@code data:} payloads of a Chat Completions stream, {@code [DONE]} included as text. */
    private static List<String> data(RawHttpClient.Response response) {
        List<Sse.Event> events = Sse.parse(response.bodyText());
        assertThat(events).allSatisfy(e -> assertThat(e.event()).as("no event: lines in this protocol").isNull());
        return events.stream().map(Sse.Event::data).toList();
    }

    @Test
    void jsonAnswerIsAChatCompletion() {
        String request = body(false, false);
        RawHttpClient.Response response = call(request, "x-mock-tool-use: true");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        Json json = Json.parse(response.bodyText());
        assertThat(json.text("id")).matches("chatcmpl-mock-[0-9a-f]{16}");
        assertThat(json.text("object")).isEqualTo("chat.completion");
        assertThat(json.text("model")).isEqualTo(MODEL);
        assertThat(json.text("choices.0.message.role")).isEqualTo("assistant");
        assertThat(json.text("choices.0.message.content")).hasSize(160).startsWith("Hello from the claude-lb mock");
        assertThat(json.text("choices.0.message.reasoning_content")).startsWith("The user wants");
        assertThat(json.text("choices.0.message.tool_calls.0.id")).matches("call_mock_[0-9a-f]{16}_0");
        assertThat(json.text("choices.0.message.tool_calls.0.type")).isEqualTo("function");
        assertThat(json.text("choices.0.message.tool_calls.0.function.name")).isEqualTo(MockContent.TOOL_NAME);
        assertThat(json.text("choices.0.message.tool_calls.0.function.arguments")).isEqualTo(MockContent.TOOL_INPUT);
        assertThat(json.text("choices.0.finish_reason")).isEqualTo("tool_calls");
        assertThat(json.number("usage.prompt_tokens")).isEqualTo(request.length() / 4);
        assertThat(json.number("usage.completion_tokens")).isPositive();
        assertThat(json.number("usage.prompt_tokens_details.cached_tokens")).isEqualTo(ChatCompletionJson.CACHED_TOKENS);
    }

    @Test
    void streamSendsChunksThenUsageThenDone() {
        RawHttpClient.Response response = call(body(true, true), "x-mock-events: 3");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
        List<String> data = data(response);
        // role, 2 reasoning, 3 text, finish, usage, [DONE]
        assertThat(data).hasSize(9);
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        List<Json> chunks = data.subList(0, data.size() - 1).stream().map(Json::parse).toList();
        assertThat(chunks).allSatisfy(c -> {
            assertThat(c.text("object")).isEqualTo("chat.completion.chunk");
            assertThat(c.text("model")).isEqualTo(MODEL);
            assertThat(c.text("id")).isEqualTo(chunks.get(0).text("id"));
        });
        assertThat(chunks.get(0).text("choices.0.delta.role")).isEqualTo("assistant");
        StringBuilder reasoning = new StringBuilder();
        StringBuilder text = new StringBuilder();
        for (Json chunk : chunks.subList(1, 6)) {
            assertThat(chunk.at("choices.0.finish_reason")).isNull();
            if (chunk.has("choices.0.delta.reasoning_content")) {
                reasoning.append(chunk.text("choices.0.delta.reasoning_content"));
            } else {
                text.append(chunk.text("choices.0.delta.content"));
            }
        }
        MockContent content = MockContent.of(MockBehaviour.builder().textEvents(3).build());
        assertThat(reasoning.toString()).isEqualTo(content.thinkingText());
        assertThat(text.toString()).isEqualTo(content.text());
        assertThat(chunks.get(6).text("choices.0.finish_reason")).isEqualTo("stop");
        assertThat((Map<?, ?>) chunks.get(6).at("choices.0.delta")).isEmpty();
        assertThat((List<?>) chunks.get(7).at("choices")).isEmpty();
        assertThat(chunks.get(7).number("usage.prompt_tokens_details.cached_tokens")).isEqualTo(8);
    }

    @Test
    void usageChunkOnlyWhenAskedFor() {
        List<String> data = data(call(body(true, false), "x-mock-events: 3"));

        assertThat(data).hasSize(8);
        assertThat(data).noneMatch(d -> d.contains("\"usage\""));
    }

    @Test
    void toolCallArgumentsArriveInFragmentsWithIdAndNameFirst() {
        List<Json> toolDeltas = toolDeltas(call(body(true, true), "x-mock-openai-tools: 2", "x-mock-thinking: false"));

        assertThat(argumentsOf(toolDeltas, 0)).isEqualTo(MockContent.TOOL_INPUT);
        assertThat(argumentsOf(toolDeltas, 1)).isEqualTo("{\"location\":\"Paris, France\",\"unit\":\"celsius\"}");
        Json first = toolDeltas.get(0);
        assertThat(first.number("index")).isZero();
        assertThat(first.text("id")).matches("call_mock_[0-9a-f]{16}_0");
        assertThat(first.text("function.name")).isEqualTo(MockContent.TOOL_NAME);
        assertThat(first.text("function.arguments")).isEmpty();
        assertThat(toolDeltas.stream().filter(d -> d.has("id"))).hasSize(2);
        assertThat(toolDeltas.stream().filter(d -> d.number("index") == 0)).hasSizeGreaterThan(3);
    }

    @Test
    void lateToolIdsComeWithTheSecondFragment() {
        List<Json> toolDeltas = toolDeltas(call(body(true, true), "x-mock-tool-use: true",
                "x-mock-openai-late-tool-ids: true"));

        assertThat(toolDeltas.get(0).has("id")).isFalse();
        assertThat(toolDeltas.get(0).has("function.name")).isFalse();
        assertThat(toolDeltas.get(0).text("function.arguments")).isNotEmpty();
        assertThat(toolDeltas.get(1).text("id")).startsWith("call_mock_");
        assertThat(toolDeltas.get(1).text("function.name")).isEqualTo(MockContent.TOOL_NAME);
        assertThat(argumentsOf(toolDeltas, 0)).isEqualTo(MockContent.TOOL_INPUT);
    }

    @Test
    void errorStatusesCarryOpenAiErrorBodies() {
        RawHttpClient.Response response = call(body(true, true), "x-mock-status: 429", "x-mock-retry-after: 3");

        assertThat(response.status).isEqualTo(429);
        assertThat(response.header("retry-after")).isEqualTo("3");
        Json json = Json.parse(response.bodyText());
        assertThat(json.text("error.message")).isEqualTo("mock: rate limited");
        assertThat(json.text("error.type")).isEqualTo("requests");
        assertThat(json.text("error.code")).isEqualTo("rate_limit_exceeded");
        assertThat(json.has("type")).as("not Anthropic-shaped").isFalse();
    }

    @Test
    void inBandErrorIsAnErrorChunkAfterTheFirst() {
        List<String> data = data(call(body(true, true), "x-mock-in-band-error: true"));

        assertThat(data).hasSize(2);
        Json error = Json.parse(data.get(1));
        assertThat(error.number("error.code")).isEqualTo(503);
        assertThat(error.text("error.message")).contains("overloaded");

        RawHttpClient.Response json = call(body(false, false), "x-mock-in-band-error: true");
        assertThat(json.status).isEqualTo(503);
        assertThat(Json.parse(json.bodyText()).text("error.type")).isEqualTo("server_error");
    }

    @Test
    void sameRequestGetsTheSameBytes() {
        String request = body(true, true);
        assertThat(call(request).bodyText()).isEqualTo(call(request).bodyText());
        assertThat(call(body(false, false)).bodyText()).isNotEqualTo(call(body(false, true)).bodyText());
    }

    private static List<Json> toolDeltas(RawHttpClient.Response response) {
        List<Json> deltas = new java.util.ArrayList<>();
        for (String data : data(response)) {
            if (!data.equals("[DONE]")) {
                Json chunk = Json.parse(data);
                if (chunk.has("choices.0.delta.tool_calls")) {
                    List<?> calls = (List<?>) chunk.at("choices.0.delta.tool_calls");
                    assertThat(calls).hasSize(1);
                    deltas.add(new Json(calls.get(0)));
                }
            }
        }
        return deltas;
    }

    private static String argumentsOf(List<Json> deltas, int index) {
        StringBuilder arguments = new StringBuilder();
        deltas.stream().filter(d -> d.number("index") == index && d.has("function.arguments"))
                .forEach(d -> arguments.append(d.text("function.arguments")));
        return arguments.toString();
    }
}
