package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.server.mock.ResponseTemplate.Slot;
import java.io.IOException;
import java.util.List;

/**
 * The web search part of the mock's answer under {@link MockBehaviour#webSearch()}: the block kinds a server tool
 * brings, which the plain answer lacks. A {@code server_tool_use} block (web_search) whose input streams as
 * {@code input_json_delta} parts, a {@code web_search_tool_result} block that arrives whole in its
 * {@code content_block_start}, and a citation ({@code citations_delta}) on the text block that follows. The same
 * pieces feed the stream and the JSON message; fixed strings only, like {@link MockContent}.
 */
final class MockWebSearch {
    static final String QUERY_INPUT = "{\"query\":\"claude-lb mock weather\"}";
    // The API's first input_json_delta is empty; the rest concatenate to QUERY_INPUT.
    static final List<String> QUERY_FRAGMENTS = List.of("", "{\"query\":", "\"claude-lb mo", "ck weather\"}");
    private static final String URL = "https://weather.example.com/mock";
    private static final String TITLE = "Mock weather, deterministic";
    private static final String CITED_TEXT = "Sunny, 21 °C, from the claude-lb mock.";

    private MockWebSearch() {
    }

    /** The {@code server_tool_use} block as {@code content_block_start} has it: empty input. */
    static void writeToolUseStart(JsonGenerator g) throws IOException {
        writeToolUse(g, "{}");
    }

    /** The {@code server_tool_use} block of the message, with its input. */
    static void writeToolUse(JsonGenerator g) throws IOException {
        writeToolUse(g, QUERY_INPUT);
    }

    /** The {@code web_search_tool_result} block, the same in the stream and the message. */
    static void writeResult(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "web_search_tool_result");
        g.writeStringField("tool_use_id", toolUseId());
        g.writeArrayFieldStart("content");
        g.writeStartObject();
        g.writeStringField("type", "web_search_result");
        g.writeStringField("title", TITLE);
        g.writeStringField("url", URL);
        g.writeStringField("encrypted_content", "EqgfCioIARgBIiRtb2NrLXdlYi1zZWFyY2gtcmVzdWx0LWNsYXVkZS1sYg==");
        g.writeStringField("page_age", "1 day ago");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    /** The citation on the text block: one {@code web_search_result_location}. */
    static void writeCitation(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "web_search_result_location");
        g.writeStringField("cited_text", CITED_TEXT);
        g.writeStringField("url", URL);
        g.writeStringField("title", TITLE);
        g.writeStringField("encrypted_index", "Eo8BCioIAhgBIiRtb2NrLWNpdGF0aW9uLWluZGV4");
        g.writeEndObject();
    }

    private static void writeToolUse(JsonGenerator g, String rawInput) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "server_tool_use");
        g.writeStringField("id", toolUseId());
        g.writeStringField("name", "web_search");
        g.writeFieldName("input");
        g.writeRawValue(rawInput);
        g.writeEndObject();
    }

    private static String toolUseId() {
        return "srvtoolu_mock_" + Slot.HASH.marker;
    }
}
