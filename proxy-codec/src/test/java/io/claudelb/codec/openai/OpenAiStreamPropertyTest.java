package io.claudelb.codec.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Property-style check: random but realistic OpenAI streams (seeded), in random chunk splits, always translate into
 * the same valid Anthropic SSE, and every tool block's input_json_delta concatenation equals the arguments the
 * chunks carried.
 */
class OpenAiStreamPropertyTest {
    private static final long SEED = 0x5EED_CAFEL;
    private static final int STREAMS = 250;
    private static final int SPLITS_PER_STREAM = 4;
    private static final String[] WORDS = {"a", "the ", "\"q\"", "back\\slash", "new\nline", "\u00e9t\u00e9",
        "\u4e2d\u6587", "\uD83D\uDE00", "data: x", "\n\n", "{", "}", " ", "\t", "[DONE]", "\r"};

    /** What the generator put in one stream, to compare with what came out. */
    private static final class Expected {
        final StringBuilder text = new StringBuilder();
        final StringBuilder thinking = new StringBuilder();
        final List<Tool> tools = new ArrayList<>();
        String finishReason;
        boolean error;
        boolean truncated;
        long promptTokens = -1;
        long cachedTokens;
        long completionTokens;
    }

    private static final class Tool {
        final String name;
        final String id;
        final String arguments;
        final List<String> fragments = new ArrayList<>();
        int nameAt;
        int idAt;

        Tool(String name, String id, String arguments) {
            this.name = name;
            this.id = id;
            this.arguments = arguments;
        }
    }

    @Test
    void randomStreamsInRandomSplitsAreAlwaysValidAndLossless() {
        Random random = new Random(SEED);
        for (int n = 0; n < STREAMS; n++) {
            Expected expected = new Expected();
            String sse = generate(random, expected);
            byte[] bytes = sse.getBytes(StandardCharsets.UTF_8);
            String whole = StreamHarness.translate(bytes, List.of());
            for (int s = 0; s < SPLITS_PER_STREAM; s++) {
                assertThat(StreamHarness.translate(bytes, randomCuts(random, bytes.length)))
                        .as("stream %d split %d", n, s).isEqualTo(whole);
            }
            check(n, whole, expected);
        }
    }

    private static void check(int n, String output, Expected expected) {
        AnthropicSseValidator.Result result = AnthropicSseValidator.validate(output);
        if (expected.error || expected.truncated) {
            assertThat(result.errorType()).as("stream %d ends in error", n).isNotNull();
            return;
        }
        assertThat(result.errorType()).as("stream %d", n).isNull();
        assertThat(result.concatenated("text")).as("stream %d text", n).isEqualTo(expected.text.toString());
        assertThat(result.concatenated("thinking")).as("stream %d thinking", n)
                .isEqualTo(expected.thinking.toString());
        List<AnthropicSseValidator.Block> toolBlocks = new ArrayList<>();
        for (AnthropicSseValidator.Block block : result.blocks()) {
            if (block.type.equals("tool_use")) {
                toolBlocks.add(block);
            }
        }
        assertThat(toolBlocks).as("stream %d tool blocks", n).hasSize(expected.tools.size());
        for (Tool tool : expected.tools) {
            AnthropicSseValidator.Block block = toolBlocks.stream().filter(b -> b.name.equals(tool.name)).findFirst()
                    .orElseThrow(() -> new AssertionError("stream " + n + ": no block for " + tool.name));
            assertThat(block.content.toString()).as("stream %d %s arguments", n, tool.name)
                    .isEqualTo(tool.arguments);
            if (tool.id != null && tool.idAt <= tool.nameAt) {
                assertThat(block.id).isEqualTo(tool.id);
            } else if (tool.id == null) {
                assertThat(block.id).matches("toolu_test_\\d+");
            }
        }
        assertThat(toolBlocks.stream().map(b -> b.id).distinct().count()).isEqualTo(toolBlocks.size());
        String stop = StopReasons.fromFinishReason(expected.finishReason, !expected.tools.isEmpty());
        assertThat(result.stopReason()).as("stream %d stop reason", n).isEqualTo(stop);
        if (expected.promptTokens >= 0) {
            assertThat(JsonValue.longOf(result.usage().get("input_tokens"), -1))
                    .isEqualTo(expected.promptTokens - expected.cachedTokens);
            assertThat(JsonValue.longOf(result.usage().get("cache_read_input_tokens"), -1))
                    .isEqualTo(expected.cachedTokens);
            assertThat(JsonValue.longOf(result.usage().get("output_tokens"), -1))
                    .isEqualTo(expected.completionTokens);
        }
    }

    private static String generate(Random random, Expected expected) {
        List<String> chunks = new ArrayList<>();
        chunks.add(chunk(delta(g -> g.writeStringField("role", "assistant")), null, null));
        int reasoning = random.nextInt(4);
        for (int i = 0; i < reasoning; i++) {
            String piece = words(random);
            expected.thinking.append(piece);
            String field = random.nextBoolean() ? "reasoning_content" : "reasoning";
            chunks.add(chunk(delta(g -> g.writeStringField(field, piece)), null, null));
        }
        int texts = random.nextInt(4);
        for (int i = 0; i < texts; i++) {
            String piece = words(random);
            expected.text.append(piece);
            chunks.add(chunk(delta(g -> g.writeStringField("content", piece)), null, null));
        }
        chunks.addAll(toolChunks(random, expected));
        if (random.nextInt(10) == 0) {
            expected.error = true;
            chunks.add("{\"error\":{\"code\":502,\"message\":\"Provider disconnected\"},\"choices\":[]}");
        }
        int ending = random.nextInt(20);
        if (ending == 0) {
            expected.truncated = true;
        } else {
            String[] reasons = {"stop", "tool_calls", "length"};
            expected.finishReason = reasons[random.nextInt(reasons.length)];
            boolean usage = random.nextInt(4) != 0;
            boolean usageInFinish = usage && random.nextBoolean();
            if (usage) {
                expected.promptTokens = 100 + random.nextInt(1000);
                expected.cachedTokens = random.nextInt(100);
                expected.completionTokens = random.nextInt(500);
            }
            chunks.add(chunk(delta(g -> { }), expected.finishReason, usageInFinish ? expected : null));
            if (usage && !usageInFinish) {
                chunks.add(usageChunk(expected));
            }
            if (random.nextInt(5) != 0) {
                chunks.add("[DONE]");
            }
        }
        return serialize(random, chunks);
    }

    /** One to three tool calls, their deltas interleaved at random, name and id in any delta. */
    private static List<String> toolChunks(Random random, Expected expected) {
        int count = random.nextInt(4);
        List<List<String>> perTool = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Tool tool = new Tool("tool_" + t, random.nextInt(4) == 0 ? null : "call_" + t + "_x", arguments(random));
            expected.tools.add(tool);
            splitCodePoints(random, tool.arguments, 1 + random.nextInt(6), tool.fragments);
            int deltas = tool.fragments.size() + random.nextInt(2);
            tool.nameAt = random.nextInt(3) == 0 ? random.nextInt(deltas) : 0;
            tool.idAt = random.nextInt(3) == 0 ? random.nextInt(deltas) : tool.nameAt;
            List<String> entries = new ArrayList<>();
            for (int d = 0; d < deltas; d++) {
                int index = t;
                int at = d;
                String fragment = d < tool.fragments.size() ? tool.fragments.get(d) : "";
                entries.add(json(g -> {
                    g.writeStartObject();
                    g.writeNumberField("index", index);
                    if (tool.id != null && at == tool.idAt) {
                        g.writeStringField("id", tool.id);
                        g.writeStringField("type", "function");
                    }
                    g.writeObjectFieldStart("function");
                    if (at == tool.nameAt) {
                        g.writeStringField("name", tool.name);
                    }
                    g.writeStringField("arguments", fragment);
                    g.writeEndObject();
                    g.writeEndObject();
                }));
            }
            perTool.add(entries);
        }
        List<String> chunks = new ArrayList<>();
        List<String> batch = new ArrayList<>();
        int[] next = new int[count];
        int remaining = perTool.stream().mapToInt(List::size).sum();
        boolean interleave = random.nextBoolean();
        int current = 0;
        while (remaining > 0) {
            int t = interleave ? random.nextInt(count) : current;
            if (next[t] >= perTool.get(t).size()) {
                if (!interleave) {
                    current++;
                }
                continue;
            }
            batch.add(perTool.get(t).get(next[t]++));
            remaining--;
            if (random.nextInt(3) != 0 || remaining == 0) {
                String entries = String.join(",", batch);
                batch.clear();
                chunks.add(chunk("{\"tool_calls\":[" + entries + "]}", null, null));
                if (random.nextInt(8) == 0) {
                    String piece = words(random);
                    expected.text.append(piece);
                    chunks.add(chunk(delta(g -> g.writeStringField("content", piece)), null, null));
                }
            }
        }
        return chunks;
    }

    private static String serialize(Random random, List<String> chunks) {
        String eol = random.nextInt(4) == 0 ? "\r\n" : "\n";
        StringBuilder sse = new StringBuilder();
        for (String chunk : chunks) {
            if (random.nextInt(10) == 0) {
                sse.append(": keep-alive").append(eol).append(eol);
            }
            sse.append(random.nextBoolean() ? "data: " : "data:").append(chunk).append(eol).append(eol);
        }
        return sse.toString();
    }

    private interface Writes {
        void write(JsonGenerator gen) throws IOException;
    }

    private static String json(Writes writes) {
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = JsonTree.FACTORY.createGenerator(out)) {
            writes.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String delta(Writes fields) {
        return json(g -> {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        });
    }

    private static String chunk(String delta, String finishReason, Expected usage) {
        return "{\"id\":\"chatcmpl-p\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
                + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"")
                + "}]" + (usage == null ? "" : ",\"usage\":" + usage(usage)) + "}";
    }

    private static String usageChunk(Expected usage) {
        return "{\"id\":\"chatcmpl-p\",\"choices\":[],\"usage\":" + usage(usage) + "}";
    }

    private static String usage(Expected e) {
        return "{\"prompt_tokens\":" + e.promptTokens + ",\"completion_tokens\":" + e.completionTokens
                + ",\"prompt_tokens_details\":{\"cached_tokens\":" + e.cachedTokens + "}}";
    }

    private static String arguments(Random random) {
        return json(g -> {
            g.writeStartObject();
            int fields = random.nextInt(4);
            for (int f = 0; f < fields; f++) {
                g.writeStringField("k" + f, words(random));
            }
            if (random.nextBoolean()) {
                g.writeNumberField("n", random.nextInt(100000));
                g.writeArrayFieldStart("list");
                g.writeBoolean(true);
                g.writeNull();
                g.writeEndArray();
            }
            g.writeEndObject();
        });
    }

    private static String words(Random random) {
        StringBuilder text = new StringBuilder();
        int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.toString();
    }

    /** Splits at code-point boundaries (a provider never splits inside a character). */
    private static void splitCodePoints(Random random, String text, int pieces, List<String> out) {
        int[] codePoints = text.codePoints().toArray();
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 1; i < pieces && codePoints.length > 1; i++) {
            cuts.add(1 + random.nextInt(codePoints.length - 1));
        }
        int from = 0;
        for (int cut : cuts) {
            out.add(new String(codePoints, from, cut - from));
            from = cut;
        }
        out.add(new String(codePoints, from, codePoints.length - from));
    }

    private static List<Integer> randomCuts(Random random, int length) {
        TreeSet<Integer> cuts = new TreeSet<>();
        int count = random.nextInt(Math.max(1, length / 8));
        for (int i = 0; i < count; i++) {
            cuts.add(random.nextInt(length + 1));
        }
        return new ArrayList<>(cuts);
    }
}
