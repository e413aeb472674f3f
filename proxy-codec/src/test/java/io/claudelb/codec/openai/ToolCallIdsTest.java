package io.claudelb.codec.openai;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ToolCallIdsTest {

    @Test
    void providerIdsAreKeptButLimitedToAnthropicsAlphabet() {
        assertThat(ToolCallIds.sanitize("call_AbC-123")).isEqualTo("call_AbC-123");
        assertThat(ToolCallIds.sanitize("functions.get_weather:0")).isEqualTo("functions_get_weather_0");
        assertThat(ToolCallIds.sanitize("")).isNull();
        assertThat(ToolCallIds.sanitize(null)).isNull();
    }

    @Test
    void generatedIdsDeriveFromTheMessageId() {
        assertThat(ToolCallIds.generate("msg_req-7", 3)).isEqualTo("toolu_req-7_3");
        assertThat(ToolCallIds.generate("chatcmpl.9", 0)).isEqualTo("toolu_chatcmpl_9_0");
    }
}
