package io.claudelb.codec.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.json.TestBuffers;
import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageTest {
    private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
            + "\"role\":\"assistant\",\"model\":\"claude-opus-5-5\",\"content\":[{\"type\":\"text\",\"text\":"
            + "\"{\\\"usage\\\":{\\\"input_tokens\\\":999}}\"}],\"stop_reason\":null,\"usage\":{\"input_tokens\":2095,"
            + "\"cache_creation_input_tokens\":1200,\"cache_read_input_tokens\":48000,\"cache_creation\":"
            + "{\"ephemeral_5m_input_tokens\":1200,\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1,"
            + "\"service_tier\":\"standard\"}}}";

    /** Applies a payload given as text, the way the tap hands over an event's bytes. */
    private static boolean apply(Usage usage, String json) {
        byte[] data = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
        return usage.apply(data, data == null ? 0 : data.length);
    }

    @Test
    void messageStartThenCumulativeDeltas() {
        Usage usage = new Usage();
        assertThat(usage.reported()).isFalse();
        assertThat(apply(usage, START)).isTrue();
        assertThat(usage.inputTokens()).isEqualTo(2095);
        assertThat(usage.cacheCreationInputTokens()).isEqualTo(1200);
        assertThat(usage.cacheReadInputTokens()).isEqualTo(48000);
        assertThat(usage.outputTokens()).isEqualTo(1);
        assertThat(usage.model()).isEqualTo("claude-opus-5-5");
        assertThat(usage.stopReason()).isNull();
        assertThat(usage.reported()).isTrue();

        assertThat(apply(usage, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":null},"
                + "\"usage\":{\"output_tokens\":40}}")).isTrue();
        assertThat(apply(usage, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\","
                + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":89}}")).isTrue();
        assertThat(usage.outputTokens()).as("replaced, not added").isEqualTo(89);
        assertThat(usage.inputTokens()).isEqualTo(2095);
        assertThat(usage.stopReason()).isEqualTo("end_turn");
    }

    @Test
    void cacheWritesAreSplitByTtl() {
        Usage usage = new Usage();
        apply(usage, "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,"
                + "\"cache_creation_input_tokens\":3000,\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,"
                + "\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1}}}");
        assertThat(usage.cacheWrite5mTokens()).isEqualTo(1000);
        assertThat(usage.cacheWrite1hTokens()).isEqualTo(2000);
        assertThat(usage.inputTokens()).as("the nested object does not disturb the rest").isEqualTo(5);

        Usage noBreakdown = new Usage();
        apply(noBreakdown, "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":5,"
                + "\"cache_creation_input_tokens\":700,\"output_tokens\":1}}}");
        assertThat(noBreakdown.cacheWrite5mTokens()).as("5 minutes is the default TTL").isEqualTo(700);
        assertThat(noBreakdown.cacheWrite1hTokens()).isZero();
    }

    @Test
    void deltaCountsWinWhenPresentAndNullsAreIgnored() {
        Usage usage = new Usage();
        apply(usage, "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":0,"
                + "\"output_tokens\":0}}}");
        apply(usage, "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":"
                + "{\"input_tokens\":310,\"cache_creation_input_tokens\":null,\"cache_read_input_tokens\":7,"
                + "\"output_tokens\":12,\"server_tool_use\":{\"web_search_requests\":1}}}");
        assertThat(usage.inputTokens()).isEqualTo(310);
        assertThat(usage.cacheCreationInputTokens()).isZero();
        assertThat(usage.cacheReadInputTokens()).isEqualTo(7);
        assertThat(usage.outputTokens()).isEqualTo(12);
        assertThat(usage.stopReason()).isEqualTo("max_tokens");
    }

    @Test
    void malformedPayloadsAreIgnored() {
        Usage usage = new Usage();
        assertThat(apply(usage, null)).isFalse();
        assertThat(apply(usage, "not json")).isFalse();
        assertThat(apply(usage, "[1,2]")).isFalse();
        assertThat(apply(usage, "{\"usage\":{\"output_tokens\":5},\"delta\":")).isFalse();
        assertThat(usage.outputTokens()).as("read before the fault").isEqualTo(5);
        assertThat(apply(usage, "{\"usage\":{\"output_tokens\":99999999999999999999999}}")).isFalse();
        assertThat(usage.outputTokens()).isEqualTo(5);
    }

    @Test
    void nonStreamingBody() {
        String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"databricks-claude-x\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":{\"usage\":{\"input_tokens\":1},"
                + "\"stop_reason\":\"no\"}}],\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":"
                + "{\"input_tokens\":12,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,"
                + "\"output_tokens\":45}}";
        for (Kind kind : Kind.values()) {
            ByteBuf buf = TestBuffers.of(kind, body);
            try {
                int readerIndex = buf.readerIndex();
                Usage usage = Usage.fromMessageJson(buf);
                assertThat(usage.inputTokens()).isEqualTo(12);
                assertThat(usage.cacheReadInputTokens()).isEqualTo(3);
                assertThat(usage.outputTokens()).isEqualTo(45);
                assertThat(usage.stopReason()).isEqualTo("tool_use");
                assertThat(usage.model()).isEqualTo("databricks-claude-x");
                assertThat(buf.readerIndex()).isEqualTo(readerIndex);
                assertThat(buf.refCnt()).isEqualTo(1);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void nonStreamingGarbageGivesAnEmptyUsage() {
        for (String body : new String[] {"", "<html>502</html>", "{\"usage\":{\"input_tokens\":4}"}) {
            ByteBuf buf = TestBuffers.of(Kind.HEAP, body);
            try {
                Usage usage = Usage.fromMessageJson(buf);
                assertThat(usage.outputTokens()).isZero();
                assertThat(usage.inputTokens()).isEqualTo(body.contains("4") ? 4 : 0);
            } finally {
                buf.release();
            }
        }
    }
}
