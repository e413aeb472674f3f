package io.claudelb.codec.error;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicErrorsTest {
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    @Test
    void jsonBodyHasAnthropicsShape() {
        assertThat(json("overloaded_error", "Overloaded"))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
    }

    @Test
    void messagesAreEscaped() {
        String body = json("invalid_request_error", "bad \"model\"\n\\ 中 \u0007");
        assertThat(body).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"bad \\\"model\\\"\\n\\\\ 中 \\u0007\"}}");
        ErrorInfo back = ErrorBodyReader.read(body);
        assertThat(back).isEqualTo(new ErrorInfo("invalid_request_error", "bad \"model\"\n\\ 中 \u0007"));
    }

    @Test
    void nullsBecomeTheGenericError() {
        assertThat(json(null, null))
                .isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"\"}}");
    }

    @Test
    void requestIdIsATopLevelMember() {
        ByteBuf buf = AnthropicErrors.jsonBody(ALLOC, "not_found_error", "no", "req_01\"x");
        try {
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"error\",\"error\":"
                    + "{\"type\":\"not_found_error\",\"message\":\"no\"},\"request_id\":\"req_01\\\"x\"}");
        } finally {
            buf.release();
        }
    }

    @Test
    void sseEventIsOneCompleteBlock() {
        ByteBuf buf = AnthropicErrors.sseEvent(ALLOC, "api_error", "upstream reset\r\nmid-stream");
        try {
            assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("event: error\ndata: {\"type\":\"error\","
                    + "\"error\":{\"type\":\"api_error\",\"message\":\"upstream reset\\r\\nmid-stream\"}}\n\n");
        } finally {
            buf.release();
        }
    }

    @Test
    void buffersAreSizedExactlyOnce() {
        // An unpooled allocator keeps the requested capacity, so any growth or mis-sizing shows.
        ByteBufAllocator exact = new UnpooledByteBufAllocator(false);
        ByteBuf body = AnthropicErrors.jsonBody(exact, "x\"y", "中文 😀 \u0001", "req_\\1");
        ByteBuf event = AnthropicErrors.sseEvent(exact, "overloaded_error", "Overloaded\n");
        try {
            assertThat(body.capacity()).isEqualTo(body.readableBytes());
            assertThat(event.capacity()).isEqualTo(event.readableBytes());
        } finally {
            body.release();
            event.release();
        }
    }

    @Test
    void statusForTypeIsTheApisStatusOfEachType() {
        assertThat(AnthropicErrors.statusForType("invalid_request_error")).isEqualTo(400);
        assertThat(AnthropicErrors.statusForType("authentication_error")).isEqualTo(401);
        assertThat(AnthropicErrors.statusForType("billing_error")).isEqualTo(402);
        assertThat(AnthropicErrors.statusForType("permission_error")).isEqualTo(403);
        assertThat(AnthropicErrors.statusForType("not_found_error")).isEqualTo(404);
        assertThat(AnthropicErrors.statusForType("request_too_large")).isEqualTo(413);
        assertThat(AnthropicErrors.statusForType("rate_limit_error")).isEqualTo(429);
        assertThat(AnthropicErrors.statusForType("api_error")).isEqualTo(500);
        assertThat(AnthropicErrors.statusForType("timeout_error")).isEqualTo(504);
        assertThat(AnthropicErrors.statusForType("overloaded_error")).isEqualTo(529);
        assertThat(AnthropicErrors.statusForType("some_future_error")).isEqualTo(500);
        assertThat(AnthropicErrors.statusForType(null)).isEqualTo(500);
    }

    @Test
    void statusForTypeAndTypeForStatusAreOneTable() {
        for (String type : new String[] {"invalid_request_error", "authentication_error", "billing_error",
            "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error",
            "timeout_error", "overloaded_error"}) {
            assertThat(AnthropicErrors.typeForStatus(AnthropicErrors.statusForType(type))).as(type).isEqualTo(type);
        }
    }

    @Test
    void typeForStatus() {
        assertThat(AnthropicErrors.typeForStatus(400)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.typeForStatus(422)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.typeForStatus(401)).isEqualTo("authentication_error");
        assertThat(AnthropicErrors.typeForStatus(402)).isEqualTo("billing_error");
        assertThat(AnthropicErrors.typeForStatus(403)).isEqualTo("permission_error");
        assertThat(AnthropicErrors.typeForStatus(404)).isEqualTo("not_found_error");
        assertThat(AnthropicErrors.typeForStatus(408)).isEqualTo("timeout_error");
        assertThat(AnthropicErrors.typeForStatus(409)).isEqualTo("invalid_request_error");
        assertThat(AnthropicErrors.typeForStatus(413)).isEqualTo("request_too_large");
        assertThat(AnthropicErrors.typeForStatus(429)).isEqualTo("rate_limit_error");
        assertThat(AnthropicErrors.typeForStatus(500)).isEqualTo("api_error");
        assertThat(AnthropicErrors.typeForStatus(502)).isEqualTo("api_error");
        assertThat(AnthropicErrors.typeForStatus(503)).isEqualTo("overloaded_error");
        assertThat(AnthropicErrors.typeForStatus(504)).isEqualTo("timeout_error");
        assertThat(AnthropicErrors.typeForStatus(529)).isEqualTo("overloaded_error");
        assertThat(AnthropicErrors.typeForStatus(200)).isEqualTo("api_error");
    }

    private static String json(String type, String message) {
        ByteBuf buf = AnthropicErrors.jsonBody(ALLOC, type, message);
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }
}
