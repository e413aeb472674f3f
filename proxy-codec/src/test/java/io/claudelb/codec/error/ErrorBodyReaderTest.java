package io.claudelb.codec.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.json.TestBuffers;
import io.claudelb.codec.json.TestBuffers.Kind;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

class ErrorBodyReaderTest {

    @Test
    void readsAnthropicErrorBodies() {
        assertThat(ErrorBodyReader.read("{\"type\":\"error\",\"error\":{\"details\":{\"error_code\":"
                + "\"enforced_spend_limit_reached\"},\"type\":\"rate_limit_error\",\"message\":\"Spend limit\"},"
                + "\"request_id\":\"req_1\"}"))
                .isEqualTo(new ErrorInfo("rate_limit_error", "Spend limit"));
    }

    @Test
    void readsOtherShapes() {
        assertThat(ErrorBodyReader.read("{\"error\":{\"message\":\"m\",\"type\":\"invalid_request_error\","
                + "\"code\":null}}")).isEqualTo(new ErrorInfo("invalid_request_error", "m"));
        assertThat(ErrorBodyReader.read("{\"error\":\"plain text\"}")).isEqualTo(new ErrorInfo(null, "plain text"));
        assertThat(ErrorBodyReader.read("{\"type\":\"error\",\"error\":{}}")).isEqualTo(new ErrorInfo(null, null));
    }

    @Test
    void noErrorObjectMeansNull() {
        assertThat(ErrorBodyReader.read((String) null)).isNull();
        assertThat(ErrorBodyReader.read("")).isNull();
        assertThat(ErrorBodyReader.read("not json")).isNull();
        assertThat(ErrorBodyReader.read("[1]")).isNull();
        assertThat(ErrorBodyReader.read("{\"type\":\"message\",\"content\":[{\"error\":{\"type\":\"x\"}}]}")).isNull();
        assertThat(ErrorBodyReader.read("{\"error\":42}")).isNull();
    }

    @Test
    void aTruncatedBodyKeepsWhatWasRead() {
        assertThat(ErrorBodyReader.read("{\"error\":{\"type\":\"overloaded_error\",\"message\":\"Over\"},\"req"))
                .isEqualTo(new ErrorInfo("overloaded_error", "Over"));
    }

    @Test
    void readsBuffersWithoutTouchingThem() {
        for (Kind kind : Kind.values()) {
            ByteBuf body = TestBuffers.of(kind, "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                    + "\"message\":\"Overloaded ✨\"}}");
            try {
                int readerIndex = body.readerIndex();
                assertThat(ErrorBodyReader.read(body)).isEqualTo(new ErrorInfo("overloaded_error", "Overloaded ✨"));
                assertThat(body.readerIndex()).isEqualTo(readerIndex);
                assertThat(body.refCnt()).isEqualTo(1);
            } finally {
                body.release();
            }
        }
    }

    @Test
    void readEventNeverGivesNull() {
        assertThat(ErrorBodyReader.readEvent(null, 0)).isEqualTo(new ErrorInfo("api_error", ""));
        assertThat(readEvent("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}"))
                .isEqualTo(new ErrorInfo("overloaded_error", ""));
    }

    private static ErrorInfo readEvent(String data) {
        byte[] bytes = data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return ErrorBodyReader.readEvent(bytes, bytes.length);
    }
}
