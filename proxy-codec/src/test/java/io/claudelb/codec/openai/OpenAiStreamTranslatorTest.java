package io.claudelb.codec.openai;

import static io.claudelb.codec.openai.Buffers.ALLOC;
import static io.claudelb.codec.openai.Buffers.take;
import static io.claudelb.codec.openai.StreamHarness.event;
import static io.claudelb.codec.openai.StreamHarness.translate;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden stream translations, chunk-boundary independence and failure endings. */
class OpenAiStreamTranslatorTest {
    private static final String HEAD = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1,"
            + "\"model\":\"gpt-x\",\"choices\":[{\"index\":0,\"delta\":";

    /** One OpenAI chunk for choice 0 with the given delta and finish reason. */
    private static String chunk(String delta, String finishReason) {
        return "data: " + HEAD + delta + ",\"finish_reason\":"
                + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }

    private static String chunk(String delta) {
        return chunk(delta, null);
    }

    private static String toolDelta(String entry) {
        return chunk("{\"tool_calls\":[" + entry + "]}");
    }

    private static final String USAGE_CHUNK = "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{"
            + "\"prompt_tokens\":100,\"completion_tokens\":20,\"total_tokens\":120,"
            + "\"prompt_tokens_details\":{\"cached_tokens\":64}}}\n\n";

    /** Reasoning, text with multi-byte characters, two interleaved tool calls, usage chunk, [DONE]. */
    static final String REALISTIC = ": OPENROUTER PROCESSING\n\n"
            + chunk("{\"role\":\"assistant\",\"content\":null,\"reasoning_content\":\"\"}")
            + chunk("{\"reasoning_content\":\"Let me \"}")
            + chunk("{\"reasoning_content\":\"think.\"}")
            + chunk("{\"content\":\"I'll check \"}")
            + chunk("{\"content\":\"two files \u2014 \u00fcn\u00efc\u00f6d\u00e9 \uD83D\uDE00.\"}")
            + toolDelta("{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"Read\",\"arguments\":\"\"}}")
            + toolDelta("{\"index\":0,\"function\":{\"arguments\":\"{\\\"path\\\":\"}}")
            + toolDelta("{\"index\":1,\"id\":\"call_2\",\"type\":\"function\","
                    + "\"function\":{\"name\":\"Grep\",\"arguments\":\"{\\\"pat\"}}")
            + toolDelta("{\"index\":0,\"function\":{\"arguments\":\"\\\"/a.txt\\\"}\"}}")
            + toolDelta("{\"index\":1,\"function\":{\"arguments\":\"tern\\\":\\\"x\\\"}\"}}")
            + chunk("{}", "tool_calls")
            + USAGE_CHUNK
            + "data: [DONE]\n\n";

    static final String REALISTIC_EXPECTED = event("message_start", """
                {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant",
                 "model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":42,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":0}}}""")
            + event("ping", "{\"type\":\"ping\"}")
            + event("content_block_start", """
                {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me "}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"think."}}""")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
            + event("content_block_start", """
                {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"I'll check "}}""")
            + event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":"
                    + "\"text_delta\",\"text\":\"two files \u2014 \u00fcn\u00efc\u00f6d\u00e9 \uD83D\uDE00.\"}}")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
            + event("content_block_start", """
                {"type":"content_block_start","index":2,
                 "content_block":{"type":"tool_use","id":"call_1","name":"Read","input":{}}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\\"path\\":"}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\\"/a.txt\\"}"}}""")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":2}")
            + event("content_block_start", """
                {"type":"content_block_start","index":3,
                 "content_block":{"type":"tool_use","id":"call_2","name":"Grep","input":{}}}""")
            + event("content_block_delta", """
                {"type":"content_block_delta","index":3,
                 "delta":{"type":"input_json_delta","partial_json":"{\\"pattern\\":\\"x\\"}"}}""")
            + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":3}")
            + event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
                 "usage":{"input_tokens":36,"cache_creation_input_tokens":0,"cache_read_input_tokens":64,
                          "output_tokens":20}}""")
            + event("message_stop", "{\"type\":\"message_stop\"}");

    @Test
    void realisticStreamInOneBuffer() {
        assertThat(translate(REALISTIC)).isEqualTo(REALISTIC_EXPECTED);
    }

    @Test
    void realisticStreamSplitAtEveryByteOffset() {
        byte[] bytes = REALISTIC.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(translate(bytes, List.of(cut))).as("split at %d", cut).isEqualTo(REALISTIC_EXPECTED);
        }
    }

    @Test
    void realisticStreamOneByteAtATimeWithCrLfLineEndings() {
        byte[] bytes = REALISTIC.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
        List<Integer> cuts = new ArrayList<>();
        for (int i = 1; i < bytes.length; i++) {
            cuts.add(i);
        }
        assertThat(translate(bytes, cuts)).isEqualTo(REALISTIC_EXPECTED);
    }

    @Test
    void eventsAreFlushedAsTheyArrive() {
        OpenAiStreamTranslator translator = StreamHarness.translator();
        StringBuilder out = new StringBuilder();
        byte[] first = chunk("{\"content\":\"Hi\"}").getBytes(StandardCharsets.UTF_8);
        StreamHarness.feed(translator, first, 0, first.length, out);
        assertThat(out.toString()).endsWith(event("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"));
        byte[] partial = "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}".getBytes(StandardCharsets.UTF_8);
        StringBuilder more = new StringBuilder();
        StreamHarness.feed(translator, partial, 0, partial.length, more);
        assertThat(more.toString()).as("an event without its blank line is not complete yet").isEmpty();
        take(translator.onError("api_error", "client gone"));
    }

    @Test
    void toolNameArrivingAfterArgumentsAndIdArrivingLast() {
        String out = translate(chunk("{\"content\":\"ok\"}")
                + toolDelta("{\"index\":0,\"function\":{\"arguments\":\"{\\\"a\\\"\"}}")
                + toolDelta("{\"index\":0,\"function\":{\"arguments\":\":1\"}}")
                + toolDelta("{\"index\":0,\"function\":{\"name\":\"Calc\",\"arguments\":\",\\\"b\\\":\"}}")
                + toolDelta("{\"index\":0,\"id\":\"late_id\",\"function\":{\"arguments\":\"2}\"}}")
                + chunk("{}", "tool_calls") + "data: [DONE]\n\n");
        assertThat(out).contains(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("content_block_start", """
                    {"type":"content_block_start","index":1,
                     "content_block":{"type":"tool_use","id":"toolu_test_1","name":"Calc","input":{}}}""")
                + event("content_block_delta", """
                    {"type":"content_block_delta","index":1,
                     "delta":{"type":"input_json_delta","partial_json":"{\\"a\\":1,\\"b\\":"}}""")
                + event("content_block_delta", """
                    {"type":"content_block_delta","index":1,
                     "delta":{"type":"input_json_delta","partial_json":"2}"}}""")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")
                + event("message_delta", """
                    {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},
                     "usage":{"output_tokens":4}}"""));
    }

    @Test
    void callsThatAllClaimIndexZeroButHaveDistinctIdsStayApart() {
        String out = translate(
                toolDelta("{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"n\\\":1}\"}}")
                + toolDelta("{\"index\":0,\"id\":\"b\",\"function\":{\"name\":\"g\",\"arguments\":\"{\\\"n\\\":\"}}")
                + toolDelta("{\"index\":0,\"function\":{\"arguments\":\"2}\"}}")
                + chunk("{}", "stop") + "data: [DONE]\n\n");
        assertThat(out).contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"a\",\"name\":\"f\",\"input\":{}}}")
                .contains("\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"n\\\":1}\"}")
                .contains("\"content_block\":{\"type\":\"tool_use\",\"id\":\"b\",\"name\":\"g\",\"input\":{}}}")
                .contains("\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"n\\\":2}\"}")
                .contains("\"stop_reason\":\"tool_use\"");
    }

    @Test
    void textArrivingWhileAToolBlockIsOpenFollowsItAsItsOwnBlock() {
        String out = translate(
                toolDelta("{\"index\":0,\"id\":\"a\",\"function\":{\"name\":\"f\",\"arguments\":\"{\"}}")
                + chunk("{\"content\":\"by the way\"}")
                + toolDelta("{\"index\":0,\"function\":{\"arguments\":\"}\"}}")
                + chunk("{}", "tool_calls") + USAGE_CHUNK);
        assertThat(out).contains(event("content_block_delta", """
                    {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"}"}}""")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("content_block_start", """
                    {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}""")
                + event("content_block_delta", """
                    {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"by the way"}}""")
                + event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}"));
    }

    @Test
    void usageInTheFinishChunkCompletesImmediately() {
        OpenAiStreamTranslator translator = StreamHarness.translator();
        StringBuilder out = new StringBuilder();
        byte[] bytes = ("data: " + HEAD + "{\"content\":\"done\"},\"finish_reason\":\"length\"}],"
                + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n").getBytes(StandardCharsets.UTF_8);
        StreamHarness.feed(translator, bytes, 0, bytes.length, out);
        assertThat(translator.isTerminated()).isTrue();
        assertThat(out.toString()).endsWith(event("message_delta", """
                {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},
                 "usage":{"input_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":1}}""") + event("message_stop", "{\"type\":\"message_stop\"}"));
        assertThat(take(translator.onEnd())).isEmpty();
    }

    @Test
    void finishWithoutUsageOrDoneCompletesAtEndWithAnEstimate() {
        String out = translate(chunk("{\"content\":\"12345678\"}") + chunk("{}", "stop"));
        assertThat(out).endsWith(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}")
                + event("message_delta", """
                    {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},
                     "usage":{"output_tokens":2}}""")
                + event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void doneWithoutFinishReasonIsAnEndTurn() {
        assertThat(translate(chunk("{\"content\":\"hi\"}") + "data: [DONE]\n\n"))
                .contains("\"stop_reason\":\"end_turn\"").endsWith(event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void emptyStreamWithOnlyDoneIsAnEmptyMessage() {
        assertThat(translate("data: [DONE]\n\n")).startsWith("event: message_start\n").doesNotContain("content_block")
                .endsWith(event("message_stop", "{\"type\":\"message_stop\"}"));
    }

    @Test
    void upstreamClosingBeforeItFinishedIsAnError() {
        String out = translate(chunk("{\"content\":\"partial\"}"));
        assertThat(out).endsWith(event("error", """
                {"type":"error","error":{"type":"api_error",
                 "message":"OpenAI-compatible upstream closed the stream before it finished"}}"""))
                .doesNotContain("message_stop");
        assertThat(translate("")).isEqualTo(event("error", """
                {"type":"error","error":{"type":"api_error",
                 "message":"OpenAI-compatible upstream closed the stream before it finished"}}"""));
    }

    @Test
    void openRouterMidStreamErrorBecomesOneErrorEvent() {
        OpenAiStreamTranslator translator = StreamHarness.translator();
        StringBuilder out = new StringBuilder();
        byte[] bytes = (chunk("{\"content\":\"Hel\"}")
                + "data: {\"id\":\"gen-1\",\"object\":\"chat.completion.chunk\",\"error\":{\"code\":503,"
                + "\"message\":\"Provider overloaded\",\"metadata\":{\"provider_name\":\"Together\"}},"
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":\"error\"}]}\n\n"
                + chunk("{\"content\":\"lo\"}")).getBytes(StandardCharsets.UTF_8);
        StreamHarness.feed(translator, bytes, 0, bytes.length, out);
        assertThat(out.toString()).endsWith(event("content_block_delta", """
                    {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}""")
                + event("error", """
                    {"type":"error","error":{"type":"overloaded_error",
                     "message":"Provider overloaded (provider: Together)"}}"""));
        assertThat(translator.isTerminated()).isTrue();
        StreamHarness.feed(translator, bytes, 0, bytes.length, out);
        assertThat(take(translator.onEnd())).isEmpty();
        assertThat(take(translator.onError("api_error", "again"))).isEmpty();
        assertThat(out.toString()).containsOnlyOnce("event: error");
    }

    @Test
    void errorBeforeAnythingElseIsTheOnlyEvent() {
        assertThat(translate("data: {\"error\":{\"message\":\"Invalid API key\",\"code\":401}}\n\n"))
                .isEqualTo(event("error", """
                    {"type":"error","error":{"type":"authentication_error","message":"Invalid API key"}}"""));
        assertThat(translate("event: error\ndata: {\"message\":\"boom\"}\n\n"))
                .isEqualTo(event("error", "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"boom\"}}"));
    }

    @Test
    void finishReasonErrorMalformedChunksAndOnError() {
        assertThat(translate(chunk("{\"content\":\"a\"}", "error"))).endsWith(event("error", """
                {"type":"error","error":{"type":"api_error",
                 "message":"OpenAI-compatible upstream ended the response with finish_reason 'error'"}}"""));
        assertThat(translate("data: {\"choices\":[{\"delta\":{\"content\":\"x\"\n\n")).isEqualTo(event("error", """
                {"type":"error","error":{"type":"api_error",
                 "message":"OpenAI-compatible upstream sent a malformed stream chunk"}}"""));
        OpenAiStreamTranslator translator = StreamHarness.translator();
        assertThat(take(translator.onError("overloaded_error", "idle timeout"))).isEqualTo(event("error", """
                {"type":"error","error":{"type":"overloaded_error","message":"idle timeout"}}"""));
        assertThat(take(translator.onEnd())).isEmpty();
    }

    @Test
    void oversizedEventIsAnErrorNotUnboundedMemory() {
        OpenAiStreamTranslator translator = new OpenAiStreamTranslator(ALLOC, "m", "msg_x", 1, 64);
        ByteBuf in = Buffers.utf8("data: {\"choices\":[{\"delta\":{\"content\":\"" + "x".repeat(100));
        try {
            assertThat(take(translator.onChunk(in))).isEqualTo(event("error", """
                    {"type":"error","error":{"type":"api_error",
                     "message":"OpenAI-compatible upstream sent a stream event larger than 64 bytes"}}"""));
        } finally {
            in.release();
        }
        assertThat(translator.isTerminated()).isTrue();
    }

    @Test
    void otherChoicesAndEmptyDeltasAreIgnored() {
        String out = translate("data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},"
                + "{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\n"
                + chunk("{\"content\":\"\"}") + chunk("{\"role\":\"assistant\"}") + chunk("{}", "stop")
                + "data:[DONE]\n\n");
        assertThat(out).contains("\"text\":\"mine\"").doesNotContain("other").containsOnlyOnce("event: content_block_start");
    }

    @Test
    void firstChunkUsageIsUsedInMessageStart() {
        String out = translate("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}],"
                + "\"usage\":{\"prompt_tokens\":900,\"completion_tokens\":1,"
                + "\"prompt_tokens_details\":{\"cached_tokens\":800}}}\n\n" + "data: [DONE]\n\n");
        assertThat(out).startsWith(event("message_start", """
                {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant",
                 "model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,
                 "usage":{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":800,
                          "output_tokens":0}}}"""));
    }
}
