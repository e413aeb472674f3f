package io.claudelb.codec.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.TestBuffers;
import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CloudRequestBodyTest {
    private static final String SIGNED = "{\"type\":\"thinking\",\"thinking\":\"hm\\u00e9\",\"signature\":\"Eu8=\"}";
    private static final String BODY = "{ \"model\" : \"claude-opus-4-7\",\n  \"max_tokens\": 100, \"stream\": true,"
            + " \"messages\": [{\"role\":\"assistant\",\"content\":[" + SIGNED + "]}],\n"
            + "  \"metadata\": {\"user_id\": \"u\"}, \"provider\": \"x\" }";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void bedrockDropsModelStreamAndProviderAndAddsVersionAndBetas(Kind kind) throws Exception {
        String out = bedrock(kind, BODY, List.of("interleaved-thinking-2025-05-14", "context-1m-2025-08-07"));
        assertThat(out).isEqualTo("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":["
                + "\"interleaved-thinking-2025-05-14\",\"context-1m-2025-08-07\"],\"max_tokens\": 100,"
                + "\"messages\": [{\"role\":\"assistant\",\"content\":[" + SIGNED + "]}],\n"
                + "  \"metadata\": {\"user_id\": \"u\"}}");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void vertexKeepsStreamAndDropsOnlyTheModel(Kind kind) throws Exception {
        ByteBuf in = TestBuffers.of(kind, BODY);
        ByteBuf out = CloudRequestBody.vertex(PooledByteBufAllocator.DEFAULT, in);
        try {
            assertThat(TestBuffers.text(out)).isEqualTo("{\"anthropic_version\":\"vertex-2023-10-16\","
                    + "\"max_tokens\": 100, \"stream\": true, \"messages\": [{\"role\":\"assistant\",\"content\":["
                    + SIGNED + "]}],\n  \"metadata\": {\"user_id\": \"u\"}}");
            assertThat(TestBuffers.text(in)).isEqualTo(BODY);
        } finally {
            out.release();
            in.release();
        }
    }

    @Test
    void theClientsOwnVersionAndBetaListWin() throws Exception {
        assertThat(bedrock(Kind.HEAP, "{\"anthropic_version\":\"bedrock-2099\",\"model\":\"m\",\"anthropic_beta\":"
                + "[\"a\"]}", List.of("b"))).isEqualTo("{\"anthropic_version\":\"bedrock-2099\",\"anthropic_beta\":"
                + "[\"a\"]}");
    }

    @Test
    void edgeLayouts() throws Exception {
        assertThat(bedrock(Kind.HEAP, "{\"model\":\"m\"}", List.of()))
                .isEqualTo("{\"anthropic_version\":\"bedrock-2023-05-31\"}");
        assertThat(bedrock(Kind.HEAP, "{\"model\":\"m\",\"stream\":false,\"max_tokens\":1}", List.of()))
                .isEqualTo("{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":1}");
        assertThat(bedrock(Kind.HEAP, "{\"a\":1,\"model\":\"m\",\"b\":[1,2] , \"stream\":true}", List.of("x\"y")))
                .isEqualTo("{\"anthropic_version\":\"bedrock-2023-05-31\",\"anthropic_beta\":[\"x\\\"y\"],"
                        + "\"a\":1,\"b\":[1,2]}");
        assertThatThrownBy(() -> bedrock(Kind.HEAP, "[1]", List.of())).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> bedrock(Kind.HEAP, "{\"a\":", List.of())).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void betaFlagsSplitAndDeduplicateHeaderValues() {
        assertThat(CloudRequestBody.betaFlags(List.of("a, b", "b,c,,"))).containsExactly("a", "b", "c");
        assertThat(CloudRequestBody.betaFlags(List.of())).isEmpty();
    }

    private static String bedrock(Kind kind, String body, List<String> betas) throws InvalidRequestException {
        ByteBuf in = TestBuffers.of(kind, body);
        try {
            ByteBuf out = CloudRequestBody.bedrock(PooledByteBufAllocator.DEFAULT, in, betas);
            try {
                return TestBuffers.text(out);
            } finally {
                out.release();
            }
        } finally {
            in.release();
        }
    }
}
