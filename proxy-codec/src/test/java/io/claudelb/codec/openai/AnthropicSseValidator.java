package io.claudelb.codec.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks that text is a well-formed Anthropic Messages SSE stream and returns what it says: {@code message_start}
 * then {@code ping} first; content blocks indexed 0, 1, 2... each started, given only deltas of its own kind and
 * stopped before the next starts; then {@code message_delta} and {@code message_stop} last, or one {@code error}
 * last (after which nothing follows, and a block may be left open).
 */
final class AnthropicSseValidator {

    /** One content block as the stream built it. */
    static final class Block {
        final String type;
        final String id;
        final String name;
        final StringBuilder content = new StringBuilder();

        Block(String type, String id, String name) {
            this.type = type;
            this.id = id;
            this.name = name;
        }
    }

    /** The stream's content and ending. */
    record Result(List<Block> blocks, String stopReason, JsonValue usage, String errorType) {
        String concatenated(String blockType) {
            StringBuilder all = new StringBuilder();
            for (Block block : blocks) {
                if (block.type.equals(blockType)) {
                    all.append(block.content);
                }
            }
            return all.toString();
        }
    }

    private AnthropicSseValidator() {
    }

    static Result validate(String sse) {
        assertThat(sse).as("stream ends with a complete event").endsWith("\n\n");
        String[] events = sse.substring(0, sse.length() - 2).split("\n\n", -1);
        List<Block> blocks = new ArrayList<>();
        Block open = null;
        boolean started = false;
        String stopReason = null;
        JsonValue usage = null;
        String errorType = null;
        boolean messageStopped = false;
        for (int i = 0; i < events.length; i++) {
            String event = events[i];
            assertThat(messageStopped || errorType != null).as("nothing after message_stop or error: %s", event)
                    .isFalse();
            assertThat(event).startsWith("event: ").contains("\ndata: ");
            int newline = event.indexOf('\n');
            String type = event.substring("event: ".length(), newline);
            String data = event.substring(newline + "\ndata: ".length());
            assertThat(data).doesNotContain("\n");
            JsonValue json = Buffers.tree(data);
            assertThat(json.textOf("type")).as("data type matches event name").isEqualTo(type);
            if (type.equals("error")) {
                errorType = json.get("error").textOf("type");
                assertThat(json.get("error").textOf("message")).isNotNull();
                continue;
            }
            if (!started) {
                assertThat(type).as("first event").isEqualTo("message_start");
                assertThat(i + 1 < events.length && events[i + 1].startsWith("event: ping\n"))
                        .as("ping follows message_start").isTrue();
                started = true;
                continue;
            }
            assertThat(stopReason).as("only message_stop after message_delta: %s", type)
                    .satisfiesAnyOf(s -> assertThat(s).isNull(), s -> assertThat(type).isEqualTo("message_stop"));
            switch (type) {
                case "ping":
                    break;
                case "content_block_start": {
                    assertThat(open).as("previous block closed before a new one starts").isNull();
                    assertThat(JsonValue.longOf(json.get("index"), -1)).as("next index").isEqualTo(blocks.size());
                    JsonValue block = json.get("content_block");
                    open = new Block(block.textOf("type"), block.textOf("id"), block.textOf("name"));
                    if (open.type.equals("tool_use")) {
                        assertThat(open.id).matches("[A-Za-z0-9_-]+");
                        assertThat(open.name).isNotNull();
                    }
                    blocks.add(open);
                    break;
                }
                case "content_block_delta": {
                    assertThat(open).as("delta inside an open block").isNotNull();
                    assertThat(JsonValue.longOf(json.get("index"), -1)).isEqualTo(blocks.size() - 1);
                    JsonValue delta = json.get("delta");
                    String deltaType = delta.textOf("type");
                    switch (open.type) {
                        case "text":
                            assertThat(deltaType).isEqualTo("text_delta");
                            open.content.append(delta.textOf("text"));
                            break;
                        case "thinking":
                            assertThat(deltaType).isEqualTo("thinking_delta");
                            open.content.append(delta.textOf("thinking"));
                            break;
                        default:
                            assertThat(deltaType).isEqualTo("input_json_delta");
                            open.content.append(delta.textOf("partial_json"));
                    }
                    break;
                }
                case "content_block_stop":
                    assertThat(open).as("stop of an open block").isNotNull();
                    assertThat(JsonValue.longOf(json.get("index"), -1)).isEqualTo(blocks.size() - 1);
                    open = null;
                    break;
                case "message_delta":
                    assertThat(open).as("all blocks closed before message_delta").isNull();
                    stopReason = json.get("delta").textOf("stop_reason");
                    assertThat(stopReason).isNotNull();
                    usage = json.get("usage");
                    assertThat(usage.get("output_tokens")).isNotNull();
                    break;
                case "message_stop":
                    assertThat(stopReason).as("message_delta before message_stop").isNotNull();
                    messageStopped = true;
                    break;
                default:
                    throw new AssertionError("unexpected event " + type);
            }
        }
        assertThat(messageStopped || errorType != null).as("stream ends with message_stop or error").isTrue();
        return new Result(blocks, stopReason, usage, errorType);
    }
}
