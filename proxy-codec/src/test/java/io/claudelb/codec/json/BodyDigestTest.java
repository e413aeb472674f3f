package io.claudelb.codec.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Identical requests have one digest whether they stream or not, whatever the buffer's layout; any other byte
 * changes it. The stream member's removal leaves well-formed JSON.
 */
class BodyDigestTest {
    private static final String WITHOUT = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi \\u00e9 stream:true\"}]}";

    private static BodyDigest digest(Kind kind, String body) {
        ByteBuf buf = TestBuffers.of(kind, body);
        try {
            return BodyDigest.of(buf, RequestInspector.inspect(buf));
        } catch (InvalidRequestException e) {
            throw new AssertionError(body, e);
        } finally {
            buf.release();
        }
    }

    private static String withoutStreamMember(String body) {
        ByteBuf buf = TestBuffers.of(Kind.HEAP, body);
        try {
            RequestInfo info = inspect(buf);
            byte[] bytes = TestBuffers.bytes(buf);
            if (info.streamStart() < 0) {
                return body;
            }
            return new String(bytes, 0, info.streamStart(), StandardCharsets.UTF_8)
                    + new String(bytes, info.streamEnd(), bytes.length - info.streamEnd(), StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theSameRequestStreamingOrNotHasOneDigest(Kind kind) {
        BodyDigest plain = digest(kind, WITHOUT);
        assertThat(digest(kind, WITHOUT.replace("{\"model\"", "{\"stream\":true,\"model\""))).isEqualTo(plain);
        assertThat(digest(kind, WITHOUT.replace(",\"max_tokens\"", ",\"stream\":true,\"max_tokens\""))).isEqualTo(plain);
        assertThat(digest(kind, WITHOUT.replace("]}", "],\"stream\":true}"))).isEqualTo(plain);
        assertThat(digest(kind, WITHOUT.replace("]}", "],\"stream\":false}"))).isEqualTo(plain);
        assertThat(digest(kind, WITHOUT)).as("every layout reads the same bytes").isEqualTo(digest(Kind.HEAP, WITHOUT));
    }

    @Test
    void anyOtherByteChangesTheDigest() {
        BodyDigest plain = digest(Kind.HEAP, WITHOUT);
        assertThat(digest(Kind.HEAP, WITHOUT.replace("64", "65"))).isNotEqualTo(plain);
        assertThat(digest(Kind.HEAP, WITHOUT.replace("Hi", "Ho"))).isNotEqualTo(plain);
        assertThat(digest(Kind.HEAP, WITHOUT.replace(",\"max_tokens\"", ", \"max_tokens\""))).isNotEqualTo(plain);
        // The stream member inside a message is content, not the top-level flag.
        assertThat(digest(Kind.HEAP, WITHOUT.replace("\"role\"", "\"stream\":true,\"role\""))).isNotEqualTo(plain);
    }

    @Test
    void removingTheStreamMemberLeavesWellFormedJson() throws Exception {
        for (String body : new String[] {"{\"stream\":true,\"model\":\"m\"}",
                "{\"model\":\"m\",\"stream\":true}", "{ \"model\" : \"m\" , \"stream\" : true }",
                "{\"model\":\"m\",\"stream\":{\"odd\":[1,2]},\"x\":1}"}) {
            String left = withoutStreamMember(body);
            ByteBuf buf = TestBuffers.of(Kind.HEAP, left);
            try {
                assertThat(RequestInspector.inspect(buf).streamStart()).as(left).isEqualTo(-1);
            } catch (InvalidRequestException e) {
                throw new AssertionError(body + " -> " + left, e);
            } finally {
                buf.release();
            }
            assertThat(left).doesNotContain("stream");
        }
    }

    private static RequestInfo inspect(ByteBuf buf) {
        try {
            return RequestInspector.inspect(buf);
        } catch (InvalidRequestException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void ofDuplicateStreamMembersTheLastOneIsLeftOut() {
        assertThat(withoutStreamMember("{\"stream\":false,\"model\":\"m\",\"stream\":true}"))
                .isEqualTo("{\"stream\":false,\"model\":\"m\"}");
    }
}
