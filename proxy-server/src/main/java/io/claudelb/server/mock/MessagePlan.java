package io.claudelb.server.mock;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the mock sends for a successful model answer under one {@link MockBehaviour}, computed once: the JSON
 * message and the SSE events in protocol order, as {@link ResponseTemplate}s. {@link MockUpstream} keeps the plan
 * of its default behaviour; a request with {@code x-mock-*} overrides gets a plan of its own.
 *
 * <p>Event order: {@code message_start}, the first block's {@code content_block_start}, {@code ping}, then for each
 * block (thinking, with web search its server_tool_use and web_search_tool_result, text, tool_use) its deltas and
 * {@code content_block_stop} (later blocks also their start), then {@code message_delta} and {@code message_stop}.
 */
final class MessagePlan {
    /** {@code event: error} with overloaded_error, as the API sends it inside a 200 stream. */
    static final byte[] OVERLOADED_EVENT = MessageJson.sseEvent("error",
            AnthropicErrors.body("overloaded_error", "Overloaded"));

    private final MockBehaviour behaviour;
    private final ResponseTemplate json;
    private final List<ResponseTemplate> events;

    private MessagePlan(MockBehaviour behaviour, ResponseTemplate json, List<ResponseTemplate> events) {
        this.behaviour = behaviour;
        this.json = json;
        this.events = events;
    }

    static MessagePlan of(MockBehaviour behaviour) {
        return of(behaviour, null);
    }

    /** @param usage token counts to report instead of the mock's own figures ({@code x-mock-usage}), or null */
    static MessagePlan of(MockBehaviour behaviour, MockUsage usage) {
        MockContent content = MockContent.of(behaviour);
        MessageJson writer = new MessageJson(content, usage);
        List<byte[]> events = new ArrayList<>();
        events.add(MessageJson.sseEvent("message_start", writer.messageStart()));
        int index = 0;
        if (content.thinking()) {
            events.add(blockStart(writer.thinkingStart(index)));
            addPingAfterFirstStart(events, index);
            for (String thinking : content.thinkingDeltas()) {
                events.add(delta(index, "thinking_delta", "thinking", thinking));
            }
            events.add(delta(index, "signature_delta", "signature", content.signature()));
            events.add(blockStop(index));
            index++;
        }
        if (content.webSearch()) {
            events.add(blockStart(writer.serverToolUseStart(index)));
            addPingAfterFirstStart(events, index);
            for (String fragment : MockWebSearch.QUERY_FRAGMENTS) {
                events.add(delta(index, "input_json_delta", "partial_json", fragment));
            }
            events.add(blockStop(index));
            index++;
            events.add(blockStart(writer.webSearchResultStart(index)));
            events.add(blockStop(index));
            index++;
        }
        events.add(blockStart(writer.textStart(index)));
        addPingAfterFirstStart(events, index);
        if (content.webSearch()) {
            events.add(MessageJson.sseEvent("content_block_delta", MessageJson.citationDelta(index)));
        }
        for (String text : content.textDeltas()) {
            events.add(delta(index, "text_delta", "text", text));
        }
        events.add(blockStop(index));
        index++;
        if (content.toolUse()) {
            events.add(blockStart(writer.toolUseStart(index)));
            for (String fragment : content.toolInputFragments()) {
                events.add(delta(index, "input_json_delta", "partial_json", fragment));
            }
            events.add(blockStop(index));
        }
        events.add(MessageJson.sseEvent("message_delta", writer.messageDelta()));
        events.add(MessageJson.sseEvent("message_stop", MessageJson.typeOnly("message_stop")));
        return new MessagePlan(behaviour, ResponseTemplate.compile(writer.message()),
                events.stream().map(ResponseTemplate::compile).toList());
    }

    // The API sends its single ping right after the first content_block_start.
    private static void addPingAfterFirstStart(List<byte[]> events, int blockIndex) {
        if (blockIndex == 0) {
            events.add(MessageJson.sseEvent("ping", MessageJson.typeOnly("ping")));
        }
    }

    private static byte[] blockStart(byte[] json) {
        return MessageJson.sseEvent("content_block_start", json);
    }

    private static byte[] delta(int index, String type, String field, String value) {
        return MessageJson.sseEvent("content_block_delta", MessageJson.delta(index, type, field, value));
    }

    private static byte[] blockStop(int index) {
        return MessageJson.sseEvent("content_block_stop", MessageJson.blockStop(index));
    }

    MockBehaviour behaviour() {
        return behaviour;
    }

    /** True when a behaviour produces the same content as this plan's (delays and failures do not matter). */
    boolean fits(MockBehaviour other) {
        return other == behaviour
                || other.textEvents() == behaviour.textEvents()
                && other.effectiveTextBytes() == behaviour.effectiveTextBytes()
                && other.thinking() == behaviour.thinking()
                && other.toolUse() == behaviour.toolUse()
                && other.webSearch() == behaviour.webSearch();
    }

    /** The non-streaming message body. */
    ResponseTemplate json() {
        return json;
    }

    /** The complete SSE stream, one template per event; the first is {@code message_start}. */
    List<ResponseTemplate> events() {
        return events;
    }
}
