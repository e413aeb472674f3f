package io.claudelb.codec.openai;

import static io.claudelb.codec.openai.Buffers.ALLOC;
import static io.claudelb.codec.openai.Buffers.compact;
import static io.claudelb.codec.openai.Buffers.take;
import static io.claudelb.codec.openai.Buffers.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden translations of Chat Completions responses and error bodies into Anthropic ones. */
class OpenAiResponseTranslatorTest {

    private static String translate(String openAi, List<String> warnings) {
        ByteBuf in = utf8(openAi);
        try {
            String out = take(OpenAiResponseTranslator.translate(ALLOC, in, "claude-sonnet-4-5", warnings::add));
            assertThat(in.refCnt()).isEqualTo(1);
            assertThat(in.readerIndex()).isZero();
            return out;
        } finally {
            in.release();
        }
    }

    private static String translate(String openAi) {
        List<String> warnings = new ArrayList<>();
        String out = translate(openAi, warnings);
        assertThat(warnings).isEmpty();
        return out;
    }

    private static String error(int status, String body) {
        ByteBuf in = utf8(body);
        try {
            return take(OpenAiResponseTranslator.translateError(ALLOC, status, in));
        } finally {
            in.release();
        }
    }

    @Test
    void textResponse() {
        String out = translate("""
                {"id":"chatcmpl-abc","object":"chat.completion","created":1,"model":"gpt-4.1-2025",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hello!","refusal":null},
                             "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""");
        assertThat(out).isEqualTo(compact("""
                {"id":"msg_chatcmpl-abc","type":"message","role":"assistant","model":"claude-sonnet-4-5",
                 "content":[{"type":"text","text":"Hello!"}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":3}}"""));
    }

    @Test
    void reasoningTextAndToolCallsWithCachedUsage() {
        String out = translate("""
                {"id":"gen-1","choices":[{"index":0,"finish_reason":"tool_calls","message":{
                  "role":"assistant","reasoning_content":"Need the file.","content":"Reading it.",
                  "tool_calls":[
                    {"id":"call_A","type":"function","function":{"name":"Read","arguments":"{\\"path\\":\\"/a\\",\\"limit\\":2.0}"}},
                    {"id":"functions.Grep:1","type":"function","function":{"name":"Grep","arguments":""}}]}}],
                 "usage":{"prompt_tokens":2000,"completion_tokens":50,
                          "prompt_tokens_details":{"cached_tokens":1536}}}""");
        assertThat(out).isEqualTo(compact("""
                {"id":"msg_gen-1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
                  {"type":"thinking","thinking":"Need the file.","signature":""},
                  {"type":"text","text":"Reading it."},
                  {"type":"tool_use","id":"call_A","name":"Read","input":{"path":"/a","limit":2.0}},
                  {"type":"tool_use","id":"functions_Grep_1","name":"Grep","input":{}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":464,"cache_creation_input_tokens":0,"cache_read_input_tokens":1536,
                          "output_tokens":50}}"""));
    }

    @Test
    void unparsableArgumentsAreKeptAndReported() {
        List<String> warnings = new ArrayList<>();
        String out = translate("""
                {"id":"x","choices":[{"message":{"content":null,"tool_calls":[
                  {"type":"function","function":{"name":"Write","arguments":"{\\"path\\":\\"/a\\",\\"content\\":\\"unterminated"}},
                  {"id":"c2","type":"function","function":{"name":"Echo","arguments":"[1,2]"}}]},
                  "finish_reason":"length"}]}""", warnings);
        assertThat(out).isEqualTo(compact("""
                {"id":"msg_x","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
                  {"type":"tool_use","id":"toolu_x_0","name":"Write",
                   "input":{"_raw_arguments":"{\\"path\\":\\"/a\\",\\"content\\":\\"unterminated"}},
                  {"type":"tool_use","id":"c2","name":"Echo","input":{"_raw_arguments":"[1,2]"}}],
                 "stop_reason":"max_tokens","stop_sequence":null,
                 "usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,
                          "output_tokens":0}}"""));
        assertThat(warnings).containsExactly(
                "tool call toolu_x_0 (Write) had arguments that are not a JSON object (36 chars); kept as _raw_arguments",
                "tool call c2 (Echo) had arguments that are not a JSON object (5 chars); kept as _raw_arguments");
        assertThat(String.join("", warnings)).doesNotContain("unterminated");
    }

    @Test
    void openRouterReasoningFieldEmptyContentAndCacheWrites() {
        String out = translate("""
                {"id":"gen-2","choices":[{"message":{"role":"assistant","content":"","reasoning":"hmm"},
                  "finish_reason":"stop"}],
                 "usage":{"prompt_tokens":100,"completion_tokens":7,
                          "prompt_tokens_details":{"cached_tokens":60,"cache_write_tokens":30}}}""");
        assertThat(out).isEqualTo(compact("""
                {"id":"msg_gen-2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[
                  {"type":"thinking","thinking":"hmm","signature":""}],
                 "stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":10,"cache_creation_input_tokens":30,"cache_read_input_tokens":60,
                          "output_tokens":7}}"""));
    }

    @Test
    void emptyMessageGetsOneEmptyTextBlockAndRefusalIsARefusal() {
        assertThat(translate("{\"id\":\"e\",\"choices\":[{\"message\":{\"content\":null},\"finish_reason\":null}]}"))
                .contains("\"content\":[{\"type\":\"text\",\"text\":\"\"}],\"stop_reason\":\"end_turn\"");
        assertThat(translate("""
                {"id":"r","choices":[{"message":{"content":null,"refusal":"I can't help with that."},
                 "finish_reason":"stop"}]}"""))
                .contains("\"content\":[{\"type\":\"text\",\"text\":\"I can't help with that.\"}],"
                        + "\"stop_reason\":\"refusal\"");
    }

    @Test
    void legacyFunctionCallAndStopWithToolCalls() {
        String out = translate("""
                {"id":"old","choices":[{"message":{"content":null,
                  "function_call":{"name":"lookup","arguments":"{\\"q\\":1}"}},"finish_reason":"function_call"}]}""");
        assertThat(out).contains("\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_old_0\",\"name\":\"lookup\","
                + "\"input\":{\"q\":1}}],\"stop_reason\":\"tool_use\"");
        String stopped = translate("""
                {"id":"g","choices":[{"message":{"content":null,"tool_calls":[
                  {"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"stop"}]}""");
        assertThat(stopped).as("compatible upstreams that say stop after tool calls")
                .contains("\"stop_reason\":\"tool_use\"");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
        "stop, end_turn", "length, max_tokens", "tool_calls, tool_use", "function_call, tool_use",
        "content_filter, refusal", "NULL, end_turn", "something_new, end_turn"})
    void finishReasons(String finishReason, String stopReason) {
        String reason = finishReason == null ? "null" : "\"" + finishReason + "\"";
        String out = translate("{\"id\":\"f\",\"choices\":[{\"message\":{\"content\":\"x\"},\"finish_reason\":"
                + reason + "}]}");
        assertThat(out).contains("\"stop_reason\":\"" + stopReason + "\",");
    }

    @Test
    void bodiesThatAreNotCompletionsAreRejected() {
        ByteBuf notJson = utf8("<html>");
        ByteBuf noChoices = utf8("{\"id\":\"x\",\"choices\":[]}");
        ByteBuf errorIn200 = utf8("{\"error\":{\"message\":\"quota\",\"code\":429}}");
        try {
            assertThatThrownBy(() -> OpenAiResponseTranslator.translate(ALLOC, notJson, "m"))
                    .isInstanceOf(TranslationException.class).hasMessageContaining("not valid JSON");
            assertThatThrownBy(() -> OpenAiResponseTranslator.translate(ALLOC, noChoices, "m"))
                    .isInstanceOf(TranslationException.class).hasMessageContaining("without choices");
            assertThatThrownBy(() -> OpenAiResponseTranslator.translate(ALLOC, errorIn200, "m"))
                    .isInstanceOf(TranslationException.class)
                    .hasMessage("OpenAI-compatible upstream returned an error: quota");
        } finally {
            notJson.release();
            noChoices.release();
            errorIn200.release();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "400, invalid_request_error", "401, authentication_error", "402, billing_error",
        "403, permission_error", "404, not_found_error", "408, timeout_error", "409, invalid_request_error",
        "413, request_too_large", "422, invalid_request_error", "429, rate_limit_error", "500, api_error",
        "502, api_error", "503, overloaded_error", "504, timeout_error", "529, overloaded_error", "599, api_error"})
    void statusToErrorType(int status, String type) {
        assertThat(OpenAiResponseTranslator.errorTypeForStatus(status)).isEqualTo(type);
    }

    @Test
    void openAiErrorBodyKeepsTheProviderMessage() {
        assertThat(error(429, """
                {"error":{"message":"Rate limit reached for gpt-4.1","type":"requests","param":null,
                 "code":"rate_limit_exceeded"}}"""))
                .isEqualTo(compact("""
                        {"type":"error","error":{"type":"rate_limit_error",
                         "message":"Rate limit reached for gpt-4.1"}}"""));
    }

    @Test
    void openRouterMetadataIsKeptInTheMessage() {
        assertThat(error(502, """
                {"error":{"code":502,"message":"Provider returned error",
                 "metadata":{"provider_name":"Fireworks","raw":"{\\"error\\":\\"upstream timeout\\"}"}},
                 "user_id":"org_1"}"""))
                .isEqualTo(compact("""
                        {"type":"error","error":{"type":"api_error","message":
                         "Provider returned error (provider: Fireworks; raw: {\\"error\\":\\"upstream timeout\\"})"}}"""));
        assertThat(error(503, """
                {"error":{"code":503,"message":"No endpoints","metadata":{"raw":{"detail":"busy"}}}}"""))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                        + "\"message\":\"No endpoints (raw: {\\\"detail\\\":\\\"busy\\\"})\"}}");
    }

    @Test
    void longRawMetadataIsCut() {
        String raw = "r".repeat(UpstreamErrors.MAX_RAW_CHARS + 500);
        String out = error(400, "{\"error\":{\"message\":\"bad\",\"metadata\":{\"raw\":\"" + raw + "\"}}}");
        assertThat(out).contains("raw: " + "r".repeat(UpstreamErrors.MAX_RAW_CHARS) + "...)")
                .doesNotContain("r".repeat(UpstreamErrors.MAX_RAW_CHARS + 1));
    }

    @Test
    void contextOverflowSpeaksClaudeCodesLanguage() {
        assertThat(error(400, """
                {"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens.",
                 "type":"invalid_request_error","code":"context_length_exceeded"}}"""))
                .isEqualTo(compact("""
                        {"type":"error","error":{"type":"invalid_request_error","message":
                         "prompt is too long: This model's maximum context length is 128000 tokens. However, your messages resulted in 130512 tokens."}}"""));
    }

    @Test
    void otherErrorShapesAndNonJsonBodies() {
        assertThat(error(400, "{\"object\":\"error\",\"message\":\"vLLM says no\",\"type\":\"BadRequestError\"}"))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                        + "\"message\":\"vLLM says no\"}}");
        assertThat(error(401, "{\"error\":\"invalid api key\"}"))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                        + "\"message\":\"invalid api key\"}}");
        assertThat(error(502, "<html><body>Bad Gateway at 10.0.0.7</body></html>"))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                        + "\"message\":\"OpenAI-compatible upstream returned HTTP 502\"}}");
        ByteBuf empty = ALLOC.buffer(0);
        try {
            assertThat(take(OpenAiResponseTranslator.translateError(ALLOC, 404, empty)))
                    .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\","
                            + "\"message\":\"OpenAI-compatible upstream returned HTTP 404\"}}");
        } finally {
            empty.release();
        }
    }
}
