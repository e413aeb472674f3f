package io.claudelb.codec.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestInspectorTest {
    static final byte[] GOLDEN = TestBuffers.resource(RequestInspectorTest.class, "claude-code-request.json");

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsTheRoutingFactsOfARealClaudeCodeBody(Kind kind) throws Exception {
        ByteBuf body = TestBuffers.of(kind, GOLDEN);
        try {
            int readerIndex = body.readerIndex();
            RequestInfo info = RequestInspector.inspect(body);

            assertThat(info.model()).isEqualTo("claude-opus-5-5");
            assertThat(info.stream()).isTrue();
            assertThat(info.userId()).isEqualTo("{\"device_id\":\"5f2b1c0e9a7d4c3b8e6f1a2d3c4b5a69788796a5b4c3d2e1f0a9b8c7"
                    + "d6e5f4a3\",\"account_uuid\":\"0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b\",\"session_id\":"
                    + "\"7c1e4b2a-9d3f-4e8a-b6c5-2f1a0e9d8c7b\"}");
            assertThat(info.provider()).isNull();
            assertThat(info.providerStart()).isEqualTo(-1);
            assertThat(info.providerEnd()).isEqualTo(-1);
            assertThat(range(GOLDEN, info.modelStart(), info.modelEnd())).isEqualTo("\"claude-opus-5-5\"");
            assertThat(body.readerIndex()).isEqualTo(readerIndex);
            assertThat(body.refCnt()).isEqualTo(1);
        } finally {
            body.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void offsetsAreExactAfterMultiByteCharactersAndEscapes(Kind kind) throws Exception {
        // The model comes last, after emoji, CJK, a raw U+2028 and escapes of every kind.
        String golden = new String(GOLDEN, StandardCharsets.UTF_8);
        String moved = golden.replace("\"model\":\"claude-opus-5-5\",", "");
        String json = moved.substring(0, moved.length() - 1) + " ,\n  \"model\" :\t\"claude-\\u0073onnet-🚀\" \n}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = TestBuffers.of(kind, bytes);
        try {
            RequestInfo info = RequestInspector.inspect(body);

            assertThat(info.model()).isEqualTo("claude-sonnet-🚀");
            assertThat(range(bytes, info.modelStart(), info.modelEnd())).isEqualTo("\"claude-\\u0073onnet-🚀\"");
            assertThat(info.stream()).isTrue();
        } finally {
            body.release();
        }
    }

    @Test
    void onlyTopLevelKeysCount() throws Exception {
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_use\",\"input\":{\"model\":\"x\","
                + "\"stream\":true,\"provider\":\"p\",\"metadata\":{\"user_id\":\"u\"}}}]}],\"model\":\"m\"}";
        RequestInfo info = inspect(json);
        assertThat(info.model()).isEqualTo("m");
        assertThat(info.stream()).isFalse();
        assertThat(info.provider()).isNull();
        assertThat(info.providerStart()).isEqualTo(-1);
        assertThat(info.userId()).isNull();
        assertThat(json.substring(info.modelStart(), info.modelEnd())).isEqualTo("\"m\"");
    }

    @Test
    void aModelOnlyInsideMessagesIsMissing() {
        assertInvalid("{\"messages\":[{\"model\":\"x\"}]}", "model: field required");
    }

    @Test
    void streamMustBeJsonTrue() throws Exception {
        assertThat(inspect("{\"model\":\"m\",\"stream\":true}").stream()).isTrue();
        assertThat(inspect("{\"model\":\"m\",\"stream\":false}").stream()).isFalse();
        assertThat(inspect("{\"model\":\"m\"}").stream()).isFalse();
        assertThat(inspect("{\"model\":\"m\",\"stream\":\"true\"}").stream()).isFalse();
        assertThat(inspect("{\"model\":\"m\",\"stream\":{\"a\":[true]}}").stream()).isFalse();
        assertThat(inspect("{\"stream\":true,\"model\":\"m\",\"stream\":false}").stream()).isFalse();
    }

    @Test
    void userIdIsTheRawMetadataString() throws Exception {
        String legacy = "user_0a1b_account_0b6f1e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b_session_7c1e4b2a-9d3f-4e8a-b6c5-2f1a0e9d8c7b";
        assertThat(inspect("{\"model\":\"m\",\"metadata\":{\"other\":{\"user_id\":\"no\"},\"user_id\":\"" + legacy
                + "\"}}").userId()).isEqualTo(legacy);
        assertThat(inspect("{\"model\":\"m\",\"metadata\":{\"user_id\":\"{\\\"session_id\\\":\\\"s\\\"}\"}}")
                .userId()).isEqualTo("{\"session_id\":\"s\"}");
        assertThat(inspect("{\"model\":\"m\",\"metadata\":{\"user_id\":42}}").userId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"metadata\":[\"user_id\"]}").userId()).isNull();
        assertThat(inspect("{\"model\":\"m\",\"metadata\":null}").userId()).isNull();
    }

    @Test
    void providerRangeTakesTheMemberAndOneComma() throws Exception {
        assertProviderRemoval("{\"provider\":\"p1\",\"model\":\"m\",\"stream\":true}",
                "p1", "{\"model\":\"m\",\"stream\":true}");
        assertProviderRemoval("{\"model\":\"m\",\"provider\":\"p1\",\"stream\":true}",
                "p1", "{\"model\":\"m\",\"stream\":true}");
        assertProviderRemoval("{\"model\":\"m\",\"stream\":true,\"provider\":\"p1\"}",
                "p1", "{\"model\":\"m\",\"stream\":true}");
        assertProviderRemoval("{ \"model\" : \"m\" ,\n \"provider\" : \"p1\" \n}",
                "p1", "{ \"model\" : \"m\"  \n}");
        assertProviderRemoval("{ \"provider\" : \"p1\" ,\n \"model\" : \"m\" }",
                "p1", "{ \"model\" : \"m\" }");
        assertProviderRemoval("{\"model\":\"m\",\"provider\":{\"name\":[\"p1\"]},\"x\":1}",
                null, "{\"model\":\"m\",\"x\":1}");
        assertProviderRemoval("{\"model\":\"m\",\"provider\":null}", null, "{\"model\":\"m\"}");
    }

    @Test
    void rejectsBodiesThatCannotBeRouted() {
        assertInvalid("", "empty");
        assertInvalid("[{\"model\":\"m\"}]", "must be a JSON object");
        assertInvalid("\"model\"", "must be a JSON object");
        assertInvalid("42", "must be a JSON object");
        assertInvalid("{\"model\":\"m\"", "not valid JSON");
        assertInvalid("{\"model\":\"m\",}", "not valid JSON");
        assertInvalid("{\"model\":'m'}", "not valid JSON");
        assertInvalid("{\"model\":\"m\"} {}", "single JSON object");
        assertInvalid("{\"model\":\"m\"} x", "not valid JSON");
        assertInvalid("{\"messages\":[{]},\"model\":\"m\"}", "not valid JSON");
        assertInvalid("{\"stream\":true}", "model: field required");
        assertInvalid("{\"model\":null}", "model: must be a string");
        assertInvalid("{\"model\":[\"m\"]}", "model: must be a string");
        assertInvalid("{\"model\":\"a\",\"model\":\"b\"}", "model: must appear only once");
        assertInvalid("{\"model\":\"a\",\"provider\":\"x\",\"provider\":\"y\"}", "provider: must appear only once");
    }

    @Test
    void rejectsNonUtf8Encodings() {
        byte[] utf16 = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_16BE);
        ByteBuf body = Unpooled.wrappedBuffer(utf16);
        assertThatThrownBy(() -> RequestInspector.inspect(body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void deepNestingIsRejectedNotAStackOverflow() {
        String deep = "{\"model\":\"m\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertInvalid(deep, "not valid JSON");
    }

    /** 24 MiB is past jackson's default 20M-char string limit: skipped strings must not count against it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 1 << 16, 24 << 20})
    void skipsLargeValuesAndFindsTheModelAfterThem(int size) throws Exception {
        char[] filler = new char[size];
        Arrays.fill(filler, 'A');
        String json = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image\",\"source\":{\"data\":\""
                + new String(filler) + "\"}}]}],\"model\":\"m\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteBuf body = TestBuffers.of(Kind.DIRECT, bytes);
        try {
            RequestInfo info = RequestInspector.inspect(body);
            assertThat(info.model()).isEqualTo("m");
            assertThat(range(bytes, info.modelStart(), info.modelEnd())).isEqualTo("\"m\"");
        } finally {
            body.release();
        }
    }

    private static void assertProviderRemoval(String json, String provider, String withoutProvider) throws Exception {
        RequestInfo info = inspect(json);
        assertThat(info.provider()).isEqualTo(provider);
        assertThat(info.hasProviderMember()).isTrue();
        String removed = json.substring(0, info.providerStart()) + json.substring(info.providerEnd());
        assertThat(removed).isEqualTo(withoutProvider);
        assertThat(inspect(removed).model()).isEqualTo("m");
    }

    private static RequestInfo inspect(String json) throws InvalidRequestException {
        ByteBuf body = TestBuffers.of(Kind.HEAP, json);
        try {
            return RequestInspector.inspect(body);
        } finally {
            body.release();
        }
    }

    private static void assertInvalid(String json, String messagePart) {
        for (Kind kind : Kind.values()) {
            ByteBuf body = TestBuffers.of(kind, json);
            try {
                assertThatThrownBy(() -> RequestInspector.inspect(body))
                        .as("%s: %s", kind, json.length() > 80 ? json.substring(0, 80) : json)
                        .isInstanceOf(InvalidRequestException.class)
                        .hasMessageContaining(messagePart);
            } finally {
                body.release();
            }
        }
    }

    private static String range(byte[] bytes, int start, int end) {
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }
}
