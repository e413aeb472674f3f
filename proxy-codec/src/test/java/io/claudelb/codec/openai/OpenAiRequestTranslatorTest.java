package io.claudelb.codec.openai;

import static io.claudelb.codec.openai.Buffers.ALLOC;
import static io.claudelb.codec.openai.Buffers.compact;
import static io.claudelb.codec.openai.Buffers.take;
import static io.claudelb.codec.openai.Buffers.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden translations of Anthropic Messages requests into Chat Completions requests. */
class OpenAiRequestTranslatorTest {
    private static final OpenAiTarget PLAIN = new OpenAiTarget("gpt-4.1", false, null, 128);

    private static String translate(String anthropic, OpenAiTarget target) {
        ByteBuf in = utf8(anthropic);
        try {
            String out = take(OpenAiRequestTranslator.translate(ALLOC, in, target));
            assertThat(in.readerIndex()).as("input not consumed").isZero();
            assertThat(in.refCnt()).as("input not released").isEqualTo(1);
            return out;
        } finally {
            in.release();
        }
    }

    private static void assertRejected(String anthropic, String message) {
        ByteBuf in = utf8(anthropic);
        try {
            assertThatThrownBy(() -> OpenAiRequestTranslator.translate(ALLOC, in, PLAIN))
                    .isInstanceOf(TranslationException.class)
                    .hasMessage(message);
        } finally {
            in.release();
        }
    }

    @Test
    void plainTextWithSystemString() {
        String out = translate("""
                {"model":"claude-sonnet-4-5","max_tokens":1024,"system":"Be brief.",
                 "messages":[{"role":"user","content":"Hi"}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1",
                 "messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],
                 "max_tokens":1024}"""));
    }

    @Test
    void claudeCodeShapedRequestKeepsOnlyWhatChatCompletionsUnderstands() {
        String out = translate("""
                {"model":"claude-opus-4-1","max_tokens":32000,"stream":true,
                 "system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.1"},
                           {"type":"text","text":"You are Claude Code.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":[
                     {"type":"text","text":"<system-reminder>ctx</system-reminder>"},
                     {"type":"text","text":"fix the bug","cache_control":{"type":"ephemeral"}}]}],
                 "metadata":{"user_id":"{\\"device_id\\":\\"d\\",\\"session_id\\":\\"s\\"}"},
                 "thinking":{"type":"adaptive","display":"omitted"},
                 "context_management":{"edits":[]},"output_config":{"effort":"medium"},
                 "top_k":5,"service_tier":"auto","temperature":1}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1",
                 "messages":[
                   {"role":"system","content":"x-anthropic-billing-header: cc_version=2.1\\nYou are Claude Code."},
                   {"role":"user","content":[
                     {"type":"text","text":"<system-reminder>ctx</system-reminder>"},
                     {"type":"text","text":"fix the bug"}]}],
                 "max_tokens":32000,"temperature":1,
                 "stream":true,"stream_options":{"include_usage":true},
                 "user":"{\\"device_id\\":\\"d\\",\\"session_id\\":\\"s\\"}"}"""));
    }

    @Test
    void imagesBase64AndUrlBecomeImageUrlParts() {
        String out = translate("""
                {"max_tokens":10,"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                  {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                  {"type":"text","text":"What are these?"}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
                  {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
                  {"type":"text","text":"What are these?"}]}],
                 "max_tokens":10}"""));
    }

    @Test
    void aLoneImageIsStillAnArray() {
        String out = translate("""
                {"messages":[{"role":"user","content":[
                  {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[{"role":"user","content":[
                  {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}"""));
    }

    @Test
    void documentsBecomeTextOrFileParts() {
        String out = translate("""
                {"messages":[{"role":"user","content":[
                  {"type":"document","source":{"type":"text","media_type":"text/plain","data":"notes"}},
                  {"type":"document","title":"spec.pdf",
                   "source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="}}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[{"role":"user","content":[
                  {"type":"text","text":"notes"},
                  {"type":"file","file":{"filename":"spec.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]}"""));
    }

    @Test
    void multiToolTurnWithResultsAndErrors() {
        String out = translate("""
                {"max_tokens":100,"messages":[
                  {"role":"user","content":"List and read."},
                  {"role":"assistant","content":[
                    {"type":"thinking","thinking":"plan","signature":"sig=="},
                    {"type":"text","text":"Let me look."},
                    {"type":"tool_use","id":"toolu_1","name":"ls","input":{"path":"/tmp","all":true}},
                    {"type":"tool_use","id":"toolu_2","name":"cat","input":{"file":"a.txt","n":1.50}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"toolu_1","content":"a.txt\\nb.txt"},
                    {"type":"tool_result","tool_use_id":"toolu_2","is_error":true,
                     "content":[{"type":"text","text":"permission denied"},{"type":"text","text":"errno 13"}]},
                    {"type":"text","text":"Why did cat fail?"}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[
                  {"role":"user","content":"List and read."},
                  {"role":"assistant","content":"Let me look.","tool_calls":[
                    {"id":"toolu_1","type":"function",
                     "function":{"name":"ls","arguments":"{\\"path\\":\\"/tmp\\",\\"all\\":true}"}},
                    {"id":"toolu_2","type":"function",
                     "function":{"name":"cat","arguments":"{\\"file\\":\\"a.txt\\",\\"n\\":1.50}"}}]},
                  {"role":"tool","tool_call_id":"toolu_1","content":"a.txt\\nb.txt"},
                  {"role":"tool","tool_call_id":"toolu_2","content":"[tool error] permission denied\\nerrno 13"},
                  {"role":"user","content":"Why did cat fail?"}],
                 "max_tokens":100}"""));
    }

    @Test
    void toolOnlyAssistantTurnHasNullContentAndToolOnlyUserTurnHasNoUserMessage() {
        String out = translate("""
                {"messages":[
                  {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"now","input":{}}]},
                  {"role":"user","content":[
                    {"type":"tool_result","tool_use_id":"t1","is_error":true},
                    {"type":"tool_result","tool_use_id":"t2","content":[
                      {"type":"text","text":"see image"},
                      {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/"}},
                      {"type":"search_result","source":"s","title":"t","content":[]}]}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[
                  {"role":"assistant","content":null,"tool_calls":[
                    {"id":"t1","type":"function","function":{"name":"now","arguments":"{}"}}]},
                  {"role":"tool","tool_call_id":"t1","content":"[tool error]"},
                  {"role":"tool","tool_call_id":"t2","content":
                    "see image\\n{\\"type\\":\\"search_result\\",\\"source\\":\\"s\\",\\"title\\":\\"t\\",\\"content\\":[]}\\n[attachment moved to the next user message]"},
                  {"role":"user","content":[
                    {"type":"image_url","image_url":{"url":"data:image/jpeg;base64,/9j/"}}]}]}"""));
    }

    @Test
    void stringContentEmptyListsSystemRoleAndThinkingOnlyAssistant() {
        String out = translate("""
                {"system":[],"messages":[
                  {"role":"system","content":[{"type":"text","text":"mid-conversation rule"}]},
                  {"role":"user","content":[]},
                  {"role":"assistant","content":"plain answer"},
                  {"role":"user","content":"more"},
                  {"role":"assistant","content":[{"type":"redacted_thinking","data":"xx"}]}]}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[
                  {"role":"system","content":"mid-conversation rule"},
                  {"role":"user","content":""},
                  {"role":"assistant","content":"plain answer"},
                  {"role":"user","content":"more"},
                  {"role":"assistant","content":""}]}"""));
    }

    @Test
    void toolsBecomeFunctionsAndServerToolsAreDropped() {
        String out = translate("""
                {"messages":[{"role":"user","content":"hi"}],
                 "tools":[
                   {"name":"Bash","description":"Run a command","input_schema":{"type":"object",
                    "properties":{"command":{"type":"string"}},"required":["command"]},
                    "cache_control":{"type":"ephemeral"}},
                   {"type":"custom","name":"Noop","input_schema":{"type":"object"},"strict":true},
                   {"type":"web_search_20250305","name":"web_search","max_uses":5}],
                 "tool_choice":{"type":"auto"}}""", PLAIN);
        assertThat(out).isEqualTo(compact("""
                {"model":"gpt-4.1","messages":[{"role":"user","content":"hi"}],
                 "tools":[
                   {"type":"function","function":{"name":"Bash","description":"Run a command",
                    "parameters":{"type":"object","properties":{"command":{"type":"string"}},"required":["command"]}}},
                   {"type":"function","function":{"name":"Noop","parameters":{"type":"object"},"strict":true}}],
                 "tool_choice":"auto"}"""));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"auto\"}                                      | \"tool_choice\":\"auto\"",
        "{\"type\":\"any\"}                                       | \"tool_choice\":\"required\"",
        "{\"type\":\"none\"}                                      | \"tool_choice\":\"none\"",
        "{\"type\":\"tool\",\"name\":\"Read\"}                    | \"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"Read\"}}",
        "{\"type\":\"any\",\"disable_parallel_tool_use\":true}    | \"tool_choice\":\"required\",\"parallel_tool_calls\":false",
        "{\"type\":\"auto\",\"disable_parallel_tool_use\":false}  | \"tool_choice\":\"auto\"",
    })
    void toolChoiceVariants(String anthropicChoice, String openAiChoice) {
        String out = translate("{\"messages\":[],\"tools\":[{\"name\":\"Read\",\"input_schema\":{}}],"
                + "\"tool_choice\":" + anthropicChoice + "}", PLAIN);
        assertThat(out).isEqualTo("{\"model\":\"gpt-4.1\",\"messages\":[],\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"Read\",\"parameters\":{}}}]," + openAiChoice + "}");
    }

    @Test
    void toolChoiceWithoutAnyFunctionIsNotSent() {
        String out = translate("""
                {"messages":[],"tools":[{"type":"web_search_20250305","name":"web_search"}],
                 "tool_choice":{"type":"any"}}""", PLAIN);
        assertThat(out).isEqualTo("{\"model\":\"gpt-4.1\",\"messages\":[]}");
    }

    @Test
    void samplingParametersStopSequencesAndMaxCompletionTokens() {
        OpenAiTarget reasoningModel = new OpenAiTarget("o4-mini", true, null, 128);
        String out = translate("""
                {"messages":[],"max_tokens":4096,"temperature":0.70,"top_p":0.9,"top_k":40,
                 "stop_sequences":["</answer>","\\n\\nHuman:"],"stream":false}""", reasoningModel);
        assertThat(out).isEqualTo(compact("""
                {"model":"o4-mini","messages":[],"max_completion_tokens":4096,"temperature":0.70,"top_p":0.9,
                 "stop":["</answer>","\\n\\nHuman:"]}"""));
    }

    @ParameterizedTest
    @CsvSource({
        "1024, low", "4095, low", "4096, medium", "16383, medium", "16384, high", "31999, high"})
    void thinkingBudgetMapsToReasoningEffort(int budget, String effort) {
        OpenAiTarget target = new OpenAiTarget("o3", true, "reasoning_effort", 128);
        String out = translate("{\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":" + budget
                + "}}", target);
        assertThat(out).isEqualTo("{\"model\":\"o3\",\"messages\":[],\"reasoning_effort\":\"" + effort + "\"}");
    }

    @Test
    void nestedReasoningParameterForOpenRouterAndAdaptiveEffort() {
        OpenAiTarget openRouter = new OpenAiTarget("openai/gpt-5", false, "reasoning.effort", 128);
        assertThat(translate("""
                {"messages":[],"thinking":{"type":"adaptive"},"output_config":{"effort":"low"}}""", openRouter))
                .isEqualTo("{\"model\":\"openai/gpt-5\",\"messages\":[],\"reasoning\":{\"effort\":\"low\"}}");
        assertThat(translate("{\"messages\":[],\"thinking\":{\"type\":\"adaptive\"}}", openRouter))
                .isEqualTo("{\"model\":\"openai/gpt-5\",\"messages\":[],\"reasoning\":{\"effort\":\"high\"}}");
        assertThat(translate("{\"messages\":[],\"thinking\":{\"type\":\"disabled\"}}", openRouter))
                .isEqualTo("{\"model\":\"openai/gpt-5\",\"messages\":[]}");
        assertThat(translate("{\"messages\":[],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":9000}}", PLAIN))
                .as("no reasoning parameter configured: thinking dropped")
                .isEqualTo("{\"model\":\"gpt-4.1\",\"messages\":[]}");
    }

    @Test
    void userIdIsTruncatedWithoutSplittingASurrogatePair() {
        OpenAiTarget five = new OpenAiTarget("m", false, null, 5);
        assertThat(translate("{\"messages\":[],\"metadata\":{\"user_id\":\"user_0123456789\"}}", five))
                .isEqualTo("{\"model\":\"m\",\"messages\":[],\"user\":\"user_\"}");
        assertThat(translate("{\"messages\":[],\"metadata\":{\"user_id\":\"abcd\uD83D\uDE00z\"}}", five))
                .isEqualTo("{\"model\":\"m\",\"messages\":[],\"user\":\"abcd\"}");
        OpenAiTarget never = new OpenAiTarget("m", false, null, 0);
        assertThat(translate("{\"messages\":[],\"metadata\":{\"user_id\":\"u\"}}", never))
                .isEqualTo("{\"model\":\"m\",\"messages\":[]}");
    }

    @Test
    void nonAsciiTextAndLoneEscapedSurrogatesSurvive() {
        assertThat(translate("{\"messages\":[{\"role\":\"user\",\"content\":\"h\u00e9 \uD83D\uDE00 \\ud83d!\"}]}",
                PLAIN)).isEqualTo("{\"model\":\"gpt-4.1\",\"messages\":[{\"role\":\"user\",\"content\":"
                        + "\"h\u00e9 \uD83D\uDE00 \\uD83D!\"}]}");
    }

    @Test
    void invalidRequestsAreRejectedWithAPath() {
        assertRejected("{not json", "request body is not valid JSON");
        assertRejected("[1]", "request body must be a JSON object");
        assertRejected("{\"max_tokens\":1}", "messages: is required and must be an array");
        assertRejected("{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}",
                "messages.0.role: must be 'user' or 'assistant'");
        assertRejected("{\"messages\":[{\"role\":\"user\"}]}",
                "messages.0.content: must be a string or an array of content blocks");
        assertRejected("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}",
                "messages.0.content.0.type: is required");
        assertRejected("""
                {"messages":[{"role":"user","content":"a"},{"role":"user","content":[
                  {"type":"image","source":{"type":"file","file_id":"f_1"}}]}]}""",
                "messages.1.content.0.source.type: image source 'file' is not supported by OpenAI-compatible upstreams");
        assertRejected("""
                {"messages":[{"role":"assistant","content":[{"type":"tool_use","name":"x","input":{}}]}]}""",
                "messages.0.content.0.id: must be a string");
        assertRejected("""
                {"messages":[{"role":"user","content":[{"type":"tool_result","content":"x"}]}]}""",
                "messages.0.content.0.tool_use_id: is required");
        assertRejected("""
                {"messages":[],"tools":[{"name":"a","input_schema":{}}],"tool_choice":{"type":"tool"}}""",
                "tool_choice.name: is required when type is 'tool'");
        assertRejected("{\"messages\":[],\"stop_sequences\":\"END\"}", "stop_sequences: must be an array of strings");
        assertRejected("{\"messages\":[],\"temperature\":\"hot\"}", "temperature: must be a number");
    }

    @Test
    void targetValidatesItsParameters() {
        assertThatThrownBy(() -> new OpenAiTarget(" ", false, null, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenAiTarget("m", false, "a.b.c", 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenAiTarget("m", false, ".x", 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenAiTarget("m", false, null, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
