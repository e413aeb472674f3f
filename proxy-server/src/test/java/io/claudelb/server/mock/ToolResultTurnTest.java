package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 item 8: a mock that answers with a {@code tool_use} must end the turn once the caller sends the tool's
 * result, or a tool-using client (Claude Code on {@code claude-lb demo} or {@code mock --tool-use}) loops forever.
 */
class ToolResultTurnTest {
    private static final String TOOLS = "\"tools\":[{\"name\":\"get_weather\",\"input_schema\":{\"type\":\"object\"}}]";
    private static final String ASK = "{\"role\":\"user\",\"content\":\"weather in SF?\"}";
    private static final String TOOL_USE = "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\","
            + "\"name\":\"get_weather\",\"input\":{\"location\":\"SF\"}}]}";
    private static final String TOOL_RESULT = "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
            + "\"tool_use_id\":\"toolu_1\",\"content\":[{\"type\":\"text\",\"text\":\"15 C\"}]}]}";
    private static MockUpstream mock;

    @BeforeAll
    static void start() {
        mock = MockUpstream.start(MockOptions.builder().name("tools")
                .behaviour(MockBehaviour.builder().toolUse(true).build()).ioThreads(1).build());
    }

    @AfterAll
    static void stop() {
        mock.close();
    }

    private static Response ask(String messages, boolean stream) {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64," + TOOLS + ",\"stream\":" + stream
                + ",\"messages\":[" + messages + "]}";
        return RawHttpClient.exchange(mock.port(), RawHttpClient.post("/v1/messages", body));
    }

    @Test
    void aQuestionGetsTheToolCall() {
        Response r = ask(ASK, false);
        assertThat(Json.field(r.bodyText(), "stop_reason")).isEqualTo("tool_use");
        assertThat(r.bodyText()).contains("\"type\":\"tool_use\"");
    }

    @Test
    void theToolsResultGetsTheFinalText() {
        Response r = ask(ASK + "," + TOOL_USE + "," + TOOL_RESULT, false);
        assertThat(r.status).isEqualTo(200);
        assertThat(Json.field(r.bodyText(), "stop_reason")).isEqualTo("end_turn");
        assertThat(r.bodyText()).doesNotContain("\"type\":\"tool_use\"").contains("\"type\":\"text\"");
    }

    @Test
    void theToolsResultEndsAStreamedTurnToo() {
        Response r = ask(ASK + "," + TOOL_USE + "," + TOOL_RESULT, true);
        assertThat(r.bodyText()).contains("\"stop_reason\":\"end_turn\"").doesNotContain("\"tool_use\"");
    }

    @Test
    void aToolResultEarlierInTheHistoryDoesNotEndALaterQuestion() {
        Response r = ask(ASK + "," + TOOL_USE + "," + TOOL_RESULT
                + ",{\"role\":\"assistant\",\"content\":\"15 C\"}," + ASK, false);
        assertThat(Json.field(r.bodyText(), "stop_reason")).isEqualTo("tool_use");
    }
}
