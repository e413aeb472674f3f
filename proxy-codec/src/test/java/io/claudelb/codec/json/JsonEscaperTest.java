package io.claudelb.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonEscaperTest {

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertThat(quoted("plain")).isEqualTo("\"plain\"");
        assertThat(quoted("")).isEqualTo("\"\"");
        assertThat(quoted("a\"b\\c/d")).isEqualTo("\"a\\\"b\\\\c/d\"");
        assertThat(quoted("\b\f\n\r\t")).isEqualTo("\"\\b\\f\\n\\r\\t\"");
        assertThat(quoted("\u0000\u001f\u007f")).isEqualTo("\"\\u0000\\u001f\u007f\"");
        assertThat(quoted("中文😀\u2028")).isEqualTo("\"中文😀\u2028\"");
    }

    @Test
    void lengthIsExactAndTheOutputParsesBack() throws Exception {
        String[] samples = {"", "x", "a\"b", "\u0001\u0002\n", "中文😀", "lone \ud800 surrogate", "end\udc00", "\\\\"};
        for (String sample : samples) {
            // Unpooled keeps the exact capacity asked for: a write that outgrew the estimate would show.
            int length = JsonEscaper.quotedLength(sample);
            ByteBuf out = new UnpooledByteBufAllocator(false).heapBuffer(length);
            try {
                JsonEscaper.writeQuoted(out, sample);
                assertThat(out.readableBytes()).as(sample).isEqualTo(length);
                assertThat(out.capacity()).as(sample).isEqualTo(length);
                try (JsonParser parser = JsonParsers.over(out)) {
                    assertThat(parser.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
                    String expected = sample.replace('\ud800', '?').replace('\udc00', '?');
                    assertThat(parser.getText()).isEqualTo(expected);
                }
            } finally {
                out.release();
            }
        }
    }

    private static String quoted(String value) {
        ByteBuf out = Unpooled.buffer();
        try {
            JsonEscaper.writeQuoted(out, value);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }
}
