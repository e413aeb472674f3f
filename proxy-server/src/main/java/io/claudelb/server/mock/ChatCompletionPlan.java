package io.claudelb.server.mock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the mock's Chat Completions mode sends for a successful answer under one {@link MockBehaviour},
 * computed once as {@link ResponseTemplate}s: the {@code chat.completion} JSON and the stream's chunks. The content
 * is {@link MockContent}'s (reasoning from its thinking text, the same text deltas) plus
 * {@link MockBehaviour#effectiveOpenAiToolCalls()} tool calls.
 *
 * <p>Stream order, as OpenAI sends it: a role chunk, the {@code reasoning_content} deltas, the {@code content}
 * deltas, then per tool call a chunk announcing its id and name (with empty arguments) followed by its argument
 * fragments (with {@code openAiLateToolIds}: the first fragment, then id and name with the second fragment, then
 * the rest), a chunk with the finish reason, the usage chunk when the request asked for it, and
 * {@code data: [DONE]}.
 */
final class ChatCompletionPlan {
    static final ResponseTemplate DONE =
            ResponseTemplate.compile("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    /** A 200 stream's first chunk, then an error chunk: the in-band failure of this mode. */
    static final ResponseTemplate ERROR_CHUNK =
            ResponseTemplate.compile(ChatCompletionJson.sseData(ChatCompletionJson.errorChunk()));

    private final MockBehaviour behaviour;
    private final ResponseTemplate json;
    private final List<ResponseTemplate> chunks;
    private final ResponseTemplate usageChunk;

    private ChatCompletionPlan(MockBehaviour behaviour, ResponseTemplate json, List<ResponseTemplate> chunks,
                               ResponseTemplate usageChunk) {
        this.behaviour = behaviour;
        this.json = json;
        this.chunks = chunks;
        this.usageChunk = usageChunk;
    }

    static ChatCompletionPlan of(MockBehaviour behaviour) {
        MockContent content = MockContent.of(behaviour);
        List<ChatToolCall> calls = ChatToolCall.first(behaviour.effectiveOpenAiToolCalls());
        ChatCompletionJson writer = new ChatCompletionJson(content, calls);
        List<byte[]> chunks = new ArrayList<>();
        chunks.add(writer.roleChunk());
        if (content.thinking()) {
            content.thinkingDeltas().forEach(t -> chunks.add(writer.reasoningChunk(t)));
        }
        content.textDeltas().forEach(t -> chunks.add(writer.textChunk(t)));
        for (ChatToolCall call : calls) {
            List<String> fragments = call.fragments();
            if (behaviour.openAiLateToolIds() && fragments.size() > 1) {
                chunks.add(writer.toolCallChunk(call, false, fragments.get(0)));
                chunks.add(writer.toolCallChunk(call, true, fragments.get(1)));
                fragments = fragments.subList(2, fragments.size());
            } else {
                chunks.add(writer.toolCallChunk(call, true, ""));
            }
            fragments.forEach(f -> chunks.add(writer.toolCallChunk(call, false, f)));
        }
        chunks.add(writer.finishChunk());
        return new ChatCompletionPlan(behaviour, ResponseTemplate.compile(writer.completion()),
                chunks.stream().map(c -> ResponseTemplate.compile(ChatCompletionJson.sseData(c))).toList(),
                ResponseTemplate.compile(ChatCompletionJson.sseData(writer.usageChunk())));
    }

    /** True when a behaviour produces the same content as this plan's (delays and failures do not matter). */
    boolean fits(MockBehaviour other) {
        return other == behaviour
                || other.textEvents() == behaviour.textEvents()
                && other.effectiveTextBytes() == behaviour.effectiveTextBytes()
                && other.thinking() == behaviour.thinking()
                && other.effectiveOpenAiToolCalls() == behaviour.effectiveOpenAiToolCalls()
                && other.openAiLateToolIds() == behaviour.openAiLateToolIds();
    }

    /** The non-streaming {@code chat.completion} body. */
    ResponseTemplate json() {
        return json;
    }

    /**
     * The stream's events: with {@code inBandError} the role chunk and an error chunk; else every chunk, the usage
     * chunk when {@code includeUsage}, and {@code [DONE]}.
     */
    List<ResponseTemplate> events(boolean includeUsage, boolean inBandError) {
        if (inBandError) {
            return List.of(chunks.get(0), ERROR_CHUNK);
        }
        List<ResponseTemplate> events = new ArrayList<>(chunks.size() + 2);
        events.addAll(chunks);
        if (includeUsage) {
            events.add(usageChunk);
        }
        events.add(DONE);
        return events;
    }
}
