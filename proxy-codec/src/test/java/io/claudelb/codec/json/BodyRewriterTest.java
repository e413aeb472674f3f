package io.claudelb.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BodyRewriterTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final byte[] GOLDEN = RequestInspectorTest.GOLDEN;

    @ParameterizedTest
    @EnumSource(Kind.class)
    void goldenBodyChangesOnlyInTheModelToken(Kind kind) throws Exception {
        ByteBuf body = TestBuffers.of(kind, GOLDEN);
        try {
            int readerIndex = body.readerIndex();
            RequestInfo info = RequestInspector.inspect(body);
            ByteBuf out = BodyRewriter.rewrite(ALLOC, body, info, "databricks-claude-opus-4-5", true);
            try {
                byte[] expected = concat(slice(GOLDEN, 0, info.modelStart()),
                        "\"databricks-claude-opus-4-5\"".getBytes(StandardCharsets.UTF_8),
                        slice(GOLDEN, info.modelEnd(), GOLDEN.length));
                assertThat(TestBuffers.bytes(out)).isEqualTo(expected);
                assertThat(out).isInstanceOf(CompositeByteBuf.class);
                // Thinking signature, cache_control, unicode and the non-canonical escapes survive byte for byte.
                String text = TestBuffers.text(out);
                assertThat(text).contains("\"signature\":\"EqQBCkYIBxgCKkB3Q2k9mZ1v")
                        .contains("\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}")
                        .contains("line\\u002dsep\\/x").contains("🚀✨").contains("中文说明");
                assertThat(body.readerIndex()).isEqualTo(readerIndex);
                assertThat(body.refCnt()).isGreaterThan(1);
            } finally {
                out.release();
            }
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            body.release();
        }
    }

    @Test
    void nothingToChangeGivesARetainedDuplicate() throws Exception {
        ByteBuf body = TestBuffers.of(Kind.DIRECT, GOLDEN);
        try {
            RequestInfo info = RequestInspector.inspect(body);
            for (String newModel : new String[] {null, "claude-opus-5-5"}) {
                ByteBuf out = BodyRewriter.rewrite(ALLOC, body, info, newModel, true);
                try {
                    assertThat(out).isNotInstanceOf(CompositeByteBuf.class);
                    assertThat(body.refCnt()).isEqualTo(2);
                    assertThat(TestBuffers.bytes(out)).isEqualTo(GOLDEN);
                } finally {
                    out.release();
                }
            }
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            body.release();
        }
    }

    @Test
    void newModelIsEscapedAsAJsonString() throws Exception {
        String newModel = "we\"ird\\model\n\u0001-中-😀";
        String json = "{\"a\":\"é\",\"model\":\"m\",\"z\":1}";
        String rewritten = rewrite(json, newModel, false);
        assertThat(rewritten).isEqualTo("{\"a\":\"é\",\"model\":\"we\\\"ird\\\\model\\n\\u0001-中-😀\",\"z\":1}");
        assertThat(inspect(rewritten).model()).isEqualTo(newModel);
    }

    @Test
    void providerRemovalInEveryPositionKeepsValidJson() throws Exception {
        String[][] cases = {
            {"{\"provider\":\"p\",\"model\":\"m\",\"stream\":true}", "{\"model\":\"x\",\"stream\":true}"},
            {"{\"model\":\"m\",\"provider\":\"p\",\"stream\":true}", "{\"model\":\"x\",\"stream\":true}"},
            {"{\"model\":\"m\",\"stream\":true,\"provider\":\"p\"}", "{\"model\":\"x\",\"stream\":true}"},
            {"{\"stream\":true, \"provider\" : \"p\" , \"model\":\"m\"}", "{\"stream\":true, \"model\":\"x\"}"},
            {"{\n  \"model\": \"m\",\n  \"provider\": \"p\"\n}", "{\n  \"model\": \"x\"\n}"},
            {"{\"provider\":\"p\",\"model\":\"m\"}", "{\"model\":\"x\"}"},
            {"{\"model\":\"m\",\"provider\":-1.5e3}", "{\"model\":\"x\"}"},
            {"{\"model\":\"m\" , \"provider\":[1,{\"a\":\"}\"}] }", "{\"model\":\"x\"  }"},
        };
        for (String[] c : cases) {
            String rewritten = rewrite(c[0], "x", true);
            assertThat(rewritten).as(c[0]).isEqualTo(c[1]);
            assertValidJson(rewritten);
            assertThat(inspect(rewritten).hasProviderMember()).isFalse();

            String providerOnly = rewrite(c[0], null, true);
            assertThat(providerOnly).as(c[0]).isEqualTo(c[1].replace("\"model\":\"x\"", "\"model\":\"m\"")
                    .replace("\"model\": \"x\"", "\"model\": \"m\""));
            assertValidJson(providerOnly);

            assertThat(rewrite(c[0], null, false)).isEqualTo(c[0]);
            assertThat(rewrite(c[0], "x", false)).contains("\"provider\"");
        }
    }

    @Test
    void goldenBodyWithAProviderFieldLosesOnlyThatMember() throws Exception {
        String golden = new String(GOLDEN, StandardCharsets.UTF_8);
        String withProvider = golden.replace(",\"metadata\":", ",\"provider\":\"anthropic-direct\",\"metadata\":");
        String rewritten = rewrite(withProvider, "claude-x", true);
        assertThat(rewritten).isEqualTo(golden.replace("\"claude-opus-5-5\"", "\"claude-x\""));
    }

    @Test
    void inconsistentRangesAreRefused() {
        ByteBuf body = TestBuffers.of(Kind.HEAP, "{\"model\":\"m\"}");
        try {
            RequestInfo wrong = new RequestInfo("m", 9, 40, false, null, null, -1, -1);
            assertThatThrownBy(() -> BodyRewriter.rewrite(ALLOC, body, wrong, "x", false))
                    .isInstanceOf(IllegalArgumentException.class);
            RequestInfo overlapping = new RequestInfo("m", 9, 12, false, null, "p", 1, 12);
            assertThatThrownBy(() -> BodyRewriter.rewrite(ALLOC, body, overlapping, "x", true))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            body.release();
        }
    }

    private static String rewrite(String json, String newModel, boolean removeProvider) throws Exception {
        ByteBuf body = TestBuffers.of(Kind.COMPOSITE, json);
        try {
            RequestInfo info = RequestInspector.inspect(body);
            ByteBuf out = BodyRewriter.rewrite(ALLOC, body, info, newModel, removeProvider);
            try {
                return TestBuffers.text(out);
            } finally {
                out.release();
            }
        } finally {
            body.release();
        }
    }

    private static RequestInfo inspect(String json) throws InvalidRequestException {
        ByteBuf body = TestBuffers.of(Kind.HEAP, json);
        try {
            return RequestInspector.inspect(body);
        } finally {
            body.release();
        }
    }

    /** Parses every token, strictly, to the end. */
    private static void assertValidJson(String json) throws Exception {
        try (JsonParser parser = JsonParsers.factory().createParser(json)) {
            while (parser.nextToken() != null) {
                parser.getText();
            }
        }
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return java.util.Arrays.copyOfRange(bytes, from, to);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
