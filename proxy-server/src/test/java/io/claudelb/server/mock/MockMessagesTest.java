package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock's successful answers over loopback: shapes, event order, paths, overrides, determinism. */
class MockMessagesTest {
    static final String MODEL = "claude-sonnet-4-5";

    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockOptions.builder().name("ws-test").ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    static String body(boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":1024,\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say ok\"}]}";
    }

    private RawHttpClient.Response call(String path, String body, String... headers) {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post(path, body, headers));
            return connection.read();
        }
    }

    @Test
    void jsonAnswerHasTheMessagesApiShape() {
        String request = body(false);
        RawHttpClient.Response response = call("/v1/messages?beta=true", request);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.header("request-id")).startsWith("req_mock_");
        assertThat(response.header("x-mock-upstream")).isEqualTo("ws-test");
        assertThat(response.header("anthropic-ratelimit-requests-limit")).isEqualTo("1000");
        assertThat(response.header("anthropic-ratelimit-requests-remaining")).isEqualTo("999");
        assertThat(response.header("retry-after")).isNull();
        Json json = Json.parse(response.bodyText());
        assertThat(json.text("id")).matches("msg_mock_[0-9a-f]{16}");
        assertThat(json.text("type")).isEqualTo("message");
        assertThat(json.text("role")).isEqualTo("assistant");
        assertThat(json.text("model")).isEqualTo(MODEL);
        assertThat(json.text("content.0.type")).isEqualTo("thinking");
        assertThat(json.text("content.0.signature")).startsWith("Eq");
        assertThat(json.text("content.1.type")).isEqualTo("text");
        assertThat(json.text("content.1.text")).hasSize(160).startsWith("Hello from the claude-lb mock");
        assertThat((List<?>) json.at("content")).hasSize(2);
        assertThat(json.text("stop_reason")).isEqualTo("end_turn");
        assertThat(json.at("stop_sequence")).isNull();
        assertThat(json.number("usage.input_tokens")).isEqualTo(request.length() / 4);
        assertThat(json.number("usage.cache_creation_input_tokens")).isZero();
        assertThat(json.number("usage.cache_read_input_tokens")).isZero();
        assertThat(json.number("usage.output_tokens")).isPositive();
    }

    @Test
    void streamHasTheProtocolEventOrderWithOneEventPerChunk() {
        RawHttpClient.Response response = call("/v1/messages", body(true), "x-mock-tool-use: true",
                "x-mock-events: 3");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/event-stream; charset=utf-8");
        assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
        List<Sse.Event> events = Sse.parse(response.bodyText());
        assertThat(events).extracting(Sse.Event::event).containsExactly(
                "message_start",
                "content_block_start", "ping", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop");
        // Each event is its own HTTP chunk, and every data line is JSON whose type names its event.
        assertThat(response.chunks).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            Sse.Event event = events.get(i);
            assertThat(new String(response.chunks.get(i), StandardCharsets.UTF_8))
                    .isEqualTo("event: " + event.event() + "\ndata: " + event.data() + "\n\n");
            assertThat(event.json().text("type")).isEqualTo(event.event());
        }

        Json start = events.get(0).json();
        assertThat(start.text("message.id")).matches("msg_mock_[0-9a-f]{16}");
        assertThat(start.text("message.model")).isEqualTo(MODEL);
        assertThat((List<?>) start.at("message.content")).isEmpty();
        assertThat(start.at("message.stop_reason")).isNull();
        assertThat(start.number("message.usage.input_tokens")).isEqualTo(body(true).length() / 4);
        assertThat(start.has("message.usage.cache_creation_input_tokens")).isTrue();
        assertThat(start.has("message.usage.cache_read_input_tokens")).isTrue();
        assertThat(start.has("message.usage.output_tokens")).isTrue();

        assertThat(events.get(1).json().text("content_block.type")).isEqualTo("thinking");
        assertThat(deltas(events, 0, "thinking_delta", "thinking")).hasSize(2);
        assertThat(deltas(events, 0, "signature_delta", "signature")).hasSize(1);
        assertThat(events.get(7).json().text("content_block.type")).isEqualTo("text");
        assertThat(deltas(events, 1, "text_delta", "text")).hasSize(3);

        Json toolStart = events.get(12).json();
        assertThat(toolStart.number("index")).isEqualTo(2);
        assertThat(toolStart.text("content_block.type")).isEqualTo("tool_use");
        assertThat(toolStart.text("content_block.id")).matches("toolu_mock_[0-9a-f]{16}");
        assertThat(toolStart.text("content_block.name")).isEqualTo("get_weather");
        assertThat((Map<?, ?>) toolStart.at("content_block.input")).isEmpty();
        String toolInput = String.join("", deltas(events, 2, "input_json_delta", "partial_json"));
        Json input = Json.parse(toolInput);
        assertThat(input.text("location")).isEqualTo("San Francisco, CA");
        assertThat(input.text("unit")).isEqualTo("celsius");

        Json messageDelta = events.get(19).json();
        assertThat(messageDelta.text("delta.stop_reason")).isEqualTo("tool_use");
        assertThat(messageDelta.number("usage.output_tokens")).isPositive();
        assertThat(messageDelta.number("usage.input_tokens")).isEqualTo(body(true).length() / 4);
    }

    @Test
    void streamAndJsonCarryTheSameContent() {
        Json message = Json.parse(call("/v1/messages", body(false), "x-mock-tool-use: true").bodyText());
        List<Sse.Event> events = Sse.parse(call("/v1/messages", body(true), "x-mock-tool-use: true").bodyText());

        assertThat(String.join("", deltas(events, 0, "thinking_delta", "thinking")))
                .isEqualTo(message.text("content.0.thinking"));
        assertThat(deltas(events, 0, "signature_delta", "signature"))
                .containsExactly(message.text("content.0.signature"));
        assertThat(String.join("", deltas(events, 1, "text_delta", "text"))).isEqualTo(message.text("content.1.text"));
        assertThat(Json.parse(String.join("", deltas(events, 2, "input_json_delta", "partial_json"))).value())
                .isEqualTo(message.at("content.2.input"));
        assertThat(message.text("content.2.id")).matches("toolu_mock_[0-9a-f]{16}");
        assertThat(message.text("content.2.name")).isEqualTo("get_weather");
        assertThat(message.text("stop_reason")).isEqualTo("tool_use");
        Json messageDelta = events.get(events.size() - 2).json();
        assertThat(messageDelta.number("usage.output_tokens")).isEqualTo(message.number("usage.output_tokens"));
    }

    @Test
    void webSearchAddsAServerToolCallItsResultAndACitationInBothModes() {
        Sse stream = Sse.strict(call("/v1/messages", body(true), "x-mock-web-search: true").bodyText());
        Json message = Json.parse(call("/v1/messages", body(false), "x-mock-web-search: true").bodyText());

        assertThat(stream.blockTypes()).containsExactly("thinking", "server_tool_use", "web_search_tool_result", "text");
        assertThat(stream.eventNames()).containsSubsequence("message_start", "content_block_start", "ping");
        assertThat(Json.parse(stream.deltas(1, "partial_json")).text("query")).isEqualTo("claude-lb mock weather");
        assertThat(stream.blockStart(2).json().text("content_block.content.0.type")).isEqualTo("web_search_result");
        assertThat(message.text("content.1.type")).isEqualTo("server_tool_use");
        assertThat(message.text("content.1.input.query")).isEqualTo("claude-lb mock weather");
        assertThat(message.text("content.2.type")).isEqualTo("web_search_tool_result");
        assertThat(message.text("content.2.tool_use_id")).isEqualTo(message.text("content.1.id"));
        assertThat(message.text("content.3.citations.0.type")).isEqualTo("web_search_result_location");
        assertThat(message.text("content.3.text")).isEqualTo(stream.deltas(3, "text"));
        // Without the header, the plain answer.
        assertThat(Sse.strict(call("/v1/messages", body(true)).bodyText()).blockTypes())
                .containsExactly("thinking", "text");
    }

    @Test
    void databricksPathIsServed() {
        RawHttpClient.Response response = call("/serving-endpoints/anthropic/v1/messages", body(true));

        assertThat(response.status).isEqualTo(200);
        assertThat(Sse.parse(response.bodyText())).extracting(Sse.Event::event)
                .startsWith("message_start").endsWith("message_delta", "message_stop");
    }

    @Test
    void countTokensAnswersBodyLengthOverFour() {
        String request = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}";
        RawHttpClient.Response response = call("/v1/messages/count_tokens?beta=true", request);

        assertThat(response.status).isEqualTo(200);
        assertThat(Json.parse(response.bodyText()).number("input_tokens")).isEqualTo(request.length() / 4);
    }

    @Test
    void healthAnswersOkAndUnknownPathsAnswerAnthropicShaped404() {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send("GET /health HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttpClient.Response health = connection.read();
            assertThat(health.status).isEqualTo(200);
            assertThat(Json.parse(health.bodyText()).text("status")).isEqualTo("ok");

            connection.send("GET /v1/models HTTP/1.1\r\nhost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawHttpClient.Response missing = connection.read();
            assertThat(missing.status).isEqualTo(404);
            Json error = Json.parse(missing.bodyText());
            assertThat(error.text("type")).isEqualTo("error");
            assertThat(error.text("error.type")).isEqualTo("not_found_error");
            assertThat(error.text("error.message")).contains("/v1/models");
        }
    }

    @Test
    void sameRequestGetsIdenticalBytesAndAnotherRequestAnotherId() {
        RawHttpClient.Response first = call("/v1/messages", body(true), "x-mock-tool-use: true");
        RawHttpClient.Response second = call("/v1/messages", body(true), "x-mock-tool-use: true");
        RawHttpClient.Response other = call("/v1/messages", body(true).replace("Say ok", "Say no"),
                "x-mock-tool-use: true");

        assertThat(second.body.toByteArray()).isEqualTo(first.body.toByteArray());
        assertThat(second.chunks).hasSameSizeAs(first.chunks);
        assertThat(call("/v1/messages", body(false)).bodyText()).isEqualTo(call("/v1/messages", body(false)).bodyText());
        assertThat(second.header("request-id")).isNotEqualTo(first.header("request-id"));
        String firstId = Sse.parse(first.bodyText()).get(0).json().text("message.id");
        String otherId = Sse.parse(other.bodyText()).get(0).json().text("message.id");
        assertThat(otherId).isNotEqualTo(firstId);
    }

    @Test
    void headersOverrideTheContent() {
        List<Sse.Event> events = Sse.parse(call("/v1/messages", body(true), "x-mock-thinking: false",
                "x-mock-events: 5", "x-mock-text-bytes: 1000").bodyText());

        assertThat(events).extracting(Sse.Event::event).containsExactly("message_start", "content_block_start", "ping",
                "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
                "content_block_delta", "content_block_stop", "message_delta", "message_stop");
        List<String> texts = deltas(events, 0, "text_delta", "text");
        assertThat(texts).allSatisfy(t -> assertThat(t).hasSize(200));
        assertThat(events.get(1).json().text("content_block.type")).isEqualTo("text");
    }

    @Test
    void zeroTextEventsGiveAnEmptyTextBlock() {
        Json message = Json.parse(call("/v1/messages", body(false), "x-mock-events: 0").bodyText());

        assertThat(message.text("content.1.text")).isEmpty();
    }

    @Test
    void modelWithCharactersThatNeedEscapingIsEchoedAsValidJson() {
        String request = "{\"model\":\"we\\\"ird\\\\model\",\"stream\":false}";
        Json message = Json.parse(call("/v1/messages", request).bodyText());

        assertThat(message.text("model")).isEqualTo("we\"ird\\model");
    }

    @Test
    void fixedBodyIsAnsweredAsIs() {
        String fixed = "{\"error\":{\"type\":\"error\",\"message\":\"Insufficient credits\"}}";
        mock.setBehaviour(MockBehaviour.builder().status(402).fixedBody(fixed).build());

        RawHttpClient.Response response = call("/v1/messages", body(true));

        assertThat(response.status).isEqualTo(402);
        assertThat(response.bodyText()).isEqualTo(fixed);
        assertThat(response.header("content-type")).isEqualTo("application/json");
    }

    @Test
    void invalidJsonBodyAndBadOverrideHeaderGet400() {
        RawHttpClient.Response notJson = call("/v1/messages", "{\"model\": ");
        RawHttpClient.Response badHeader = call("/v1/messages", body(false), "x-mock-events: many");

        assertThat(notJson.status).isEqualTo(400);
        assertThat(Json.parse(notJson.bodyText()).text("error.type")).isEqualTo("invalid_request_error");
        assertThat(badHeader.status).isEqualTo(400);
        assertThat(Json.parse(badHeader.bodyText()).text("error.message")).contains("x-mock-events");
    }

    /** The delta values of one type in the block with this index, in order. */
    static List<String> deltas(List<Sse.Event> events, int index, String type, String field) {
        return events.stream()
                .filter(e -> "content_block_delta".equals(e.event()))
                .map(Sse.Event::json)
                .filter(j -> j.number("index") == index && type.equals(j.text("delta.type")))
                .map(j -> j.text("delta." + field))
                .collect(Collectors.toList());
    }
}
