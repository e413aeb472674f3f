package io.claudelb.codec.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.TestBuffers;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
    private static final TokenEstimator EST = TokenEstimator.cl100k();

    private static int estimate(String json) throws InvalidRequestException {
        return estimate(TestBuffers.Kind.HEAP, json);
    }

    private static int estimate(TestBuffers.Kind kind, String json) throws InvalidRequestException {
        ByteBuf buf = TestBuffers.of(kind, json.getBytes(StandardCharsets.UTF_8));
        try {
            int before = buf.readerIndex();
            int n = EST.estimate(buf);
            assertThat(buf.readerIndex()).isEqualTo(before);
            return n;
        } finally {
            buf.release();
        }
    }

    @Test
    void cl100kCountsKnownText() {
        // cl100k_base: "hello world" is two tokens, "user" one.
        assertThat(EST.tokens("hello world")).isEqualTo(2);
        assertThat(EST.tokens("user")).isEqualTo(1);
        assertThat(EST.tokens("")).isZero();
        assertThat(EST.tokens("<|endoftext|>")).isGreaterThan(1);
    }

    @Test
    void systemStringAndBlocksCountTheirText() throws Exception {
        assertThat(estimate("{\"model\":\"m\",\"system\":\"hello world\"}")).isEqualTo(2);
        assertThat(estimate("{\"system\":[{\"type\":\"text\",\"text\":\"hello world\",\"cache_control\":"
                + "{\"type\":\"ephemeral\"}},{\"text\":\"hello world\",\"type\":\"text\"}]}")).isEqualTo(4);
    }

    @Test
    void eachMessageCostsFourPlusRolePlusContent() throws Exception {
        String one = "{\"role\":\"user\",\"content\":\"hello world\"}";
        assertThat(estimate("{\"messages\":[" + one + "]}")).isEqualTo(4 + 1 + 2);
        assertThat(estimate("{\"messages\":[" + one + "," + one + "]}")).isEqualTo(2 * 7);
        assertThat(estimate("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello "
                + "world\"}]}]}")).isEqualTo(7);
    }

    @Test
    void imagesAndBinaryDocumentsCountAFixedFigure() throws Exception {
        String image = "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\","
                + "\"data\":\"iVBORw0KGgoAAAANSUhEUgAA\"}}";
        String pdf = "{\"type\":\"document\",\"source\":{\"type\":\"base64\",\"data\":\"JVBERi0xLjQK\"}}";
        String textDoc = "{\"type\":\"document\",\"source\":{\"data\":\"hello world\",\"type\":\"text\"}}";
        assertThat(estimate("{\"messages\":[{\"role\":\"user\",\"content\":[" + image + "]}]}"))
                .isEqualTo(5 + TokenEstimator.IMAGE_TOKENS);
        assertThat(estimate("{\"messages\":[{\"role\":\"user\",\"content\":[" + pdf + "," + textDoc + "]}]}"))
                .isEqualTo(5 + TokenEstimator.IMAGE_TOKENS + 2);
    }

    @Test
    void toolUseCountsNameAndInputJsonAndToolResultItsContent() throws Exception {
        String input = "{\"city\":\"Paris\",\"units\":[\"c\"]}";
        String use = "{\"input\":" + input + ",\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\"}";
        String result = "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"hello world\"},{\"type\":\"image\",\"source\":{}}]}";
        String plain = "{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"hello world\"}";
        int expected = 4 + EST.tokens("assistant") + EST.tokens("get_weather") + EST.tokens(input)
                + 4 + 1 + 2 + TokenEstimator.IMAGE_TOKENS + 2;
        assertThat(estimate("{\"messages\":[{\"role\":\"assistant\",\"content\":[" + use + "]},"
                + "{\"role\":\"user\",\"content\":[" + result + "," + plain + "]}]}")).isEqualTo(expected);
    }

    @Test
    void thinkingAndUnknownBlocksAndOtherMembersAreNotCounted() throws Exception {
        assertThat(estimate("{\"model\":\"claude-opus-4-5\",\"max_tokens\":100,\"thinking\":{\"type\":\"enabled\"},"
                + "\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"thinking\",\"thinking\":\"long "
                + "thoughts\",\"signature\":\"abc\"},{\"type\":\"future_block\",\"text\":\"x\"}]}]}"))
                .isEqualTo(4 + EST.tokens("assistant"));
    }

    @Test
    void toolsCountOverheadNameDescriptionAndSchema() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}";
        String tools = "{\"tools\":[{\"name\":\"get_weather\",\"description\":\"hello world\",\"input_schema\":"
                + schema + "},{\"type\":\"web_search_20250305\",\"name\":\"web_search\"}]}";
        assertThat(estimate(tools)).isEqualTo(TokenEstimator.TOOLS_OVERHEAD + EST.tokens("get_weather") + 2
                + EST.tokens(schema) + EST.tokens("web_search"));
        assertThat(estimate("{\"tools\":[]}")).isZero();
    }

    @ParameterizedTest
    @EnumSource(TestBuffers.Kind.class)
    void everyBufferLayoutGivesTheSameCount(TestBuffers.Kind kind) throws Exception {
        String body = "{\"system\":\"Sé concis. 简洁\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                + "\"tool_use\",\"name\":\"t\",\"input\":{\"q\":\"ü\"}}]}]}";
        assertThat(estimate(kind, body)).isEqualTo(estimate(TestBuffers.Kind.HEAP, body)).isPositive();
    }

    @Test
    void unexpectedShapesAreSkippedButANonObjectIsRejected() throws Exception {
        assertThat(estimate("{\"messages\":\"oops\",\"system\":42,\"tools\":{}}")).isZero();
        assertThat(estimate("{\"messages\":[1,\"x\",{\"role\":\"user\",\"content\":7}]}")).isEqualTo(5);
        assertThatThrownBy(() -> estimate("[1,2]")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> estimate("{\"messages\":[")).isInstanceOf(InvalidRequestException.class);
    }
}
