package io.claudelb.codec.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.sse.SseScanner;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageTapTest {
    private static final String STREAM = "event: message_start\r\ndata: {\"type\":\"message_start\",\"message\":"
            + "{\"model\":\"m\",\"usage\":{\"input_tokens\":21,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}"
            + "\r\n\r\nevent: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
            + "{\"type\":\"text_delta\",\"text\":\"hi\"}}\r\n\r\nevent: message_delta\r\ndata: {\"type\":"
            + "\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":7}}\r\n\r\n"
            + "event: message_stop\r\ndata: {\"type\":\"message_stop\"}\r\n\r\n";

    @Test
    void collectsUsageAndCompletionFromAStream() {
        UsageTap tap = new UsageTap();
        SseScanner scanner = new SseScanner(tap, 64 * 1024);
        byte[] bytes = STREAM.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += 13) {
            ByteBuf chunk = Unpooled.wrappedBuffer(bytes, i, Math.min(13, bytes.length - i));
            try {
                scanner.scan(chunk);
            } finally {
                chunk.release();
            }
        }
        assertThat(tap.usage().inputTokens()).isEqualTo(21);
        assertThat(tap.usage().cacheReadInputTokens()).isEqualTo(5);
        assertThat(tap.usage().outputTokens()).isEqualTo(7);
        assertThat(tap.usage().stopReason()).isEqualTo("end_turn");
        assertThat(tap.completed()).isTrue();
        assertThat(tap.errorType()).isNull();
    }

    @Test
    void wantsOnlyWhatItReads() {
        UsageTap tap = new UsageTap();
        assertThat(tap.wantsData("content_block_delta")).isFalse();
        assertThat(tap.wantsData("ping")).isFalse();
        assertThat(tap.wantsData(null)).isFalse();
        assertThat(tap.wantsData("message_start")).isTrue();
        assertThat(tap.wantsData("message_delta")).isTrue();
        assertThat(tap.wantsData("error")).isTrue();
    }

    @Test
    void notesAnInBandError() {
        UsageTap tap = new UsageTap();
        byte[] data = "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"
                .getBytes(StandardCharsets.UTF_8);
        tap.onEvent("error", data, data.length);
        assertThat(tap.errorType()).isEqualTo("overloaded_error");
        assertThat(tap.errorMessage()).isEqualTo("Overloaded");
        assertThat(tap.completed()).isFalse();
    }
}
