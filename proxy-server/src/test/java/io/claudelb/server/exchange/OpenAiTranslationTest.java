package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The OpenAI response translation of one attempt, fed by hand: headers, stream endings, failures, errors. */
class OpenAiTranslationTest {
    private static final String CHUNK = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"},"
            + "\"finish_reason\":null}]}\n\n";
    private static final String FINISH = "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},"
            + "\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";

    private final OpenAiTranslation translation =
            new OpenAiTranslation(ByteBufAllocator.DEFAULT, "claude-sonnet-4-5", "lbreq_1", 400);

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** Translates one piece and returns its text, releasing everything. */
    private String text(HttpContent in, boolean expectLast) {
        HttpContent out = translation.content(in);
        try {
            assertThat(in.refCnt()).as("input released").isZero();
            assertThat(out instanceof LastHttpContent).isEqualTo(expectLast);
            return out.content().toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    private String failure() {
        ByteBuf event = translation.failure(ByteBufAllocator.DEFAULT, "api_error", "broke");
        try {
            return event.toString(StandardCharsets.UTF_8);
        } finally {
            event.release();
        }
    }

    @Test
    void headKeepsOnlyRetryAndRateLimitHeadersAndSetsTheContentType() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("content-type", "text/event-stream")
                .add("content-length", "99")
                .add("set-cookie", "__cf_bm=abc")
                .add("openai-organization", "acme-prod")
                .add("retry-after", "3")
                .add("X-RateLimit-Remaining-Requests", "42")
                .add("x-request-id", "req_9");

        translation.head(headers);

        assertThat(headers.names()).containsExactlyInAnyOrder("content-type", "cache-control", "retry-after",
                "X-RateLimit-Remaining-Requests", "x-request-id");
        assertThat(headers.get("content-type")).isEqualTo("text/event-stream; charset=utf-8");

        HttpHeaders json = new DefaultHttpHeaders().add("content-type", "application/json; charset=utf-8")
                .add("content-length", "12");
        translation.head(json);
        assertThat(json.names()).containsExactly("content-type");
        assertThat(json.get("content-type")).isEqualTo("application/json");
    }

    @Test
    void streamChunksTranslateAsTheyArriveAndTheLastOneCompletes() {
        String first = text(new DefaultHttpContent(bytes(CHUNK.substring(0, 20))), false);
        String second = text(new DefaultHttpContent(bytes(CHUNK.substring(20))), false);
        String last = text(new DefaultLastHttpContent(bytes(FINISH)), true);

        assertThat(first).isEmpty();
        assertThat(second).startsWith("event: message_start\ndata: {\"type\":\"message_start\"")
                .contains("\"id\":\"msg_lbreq_1\"", "\"model\":\"claude-sonnet-4-5\"", "event: ping",
                        "\"text_delta\",\"text\":\"Hi\"");
        assertThat(last).contains("event: content_block_stop", "\"stop_reason\":\"end_turn\"")
                .endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        assertThat(failure()).as("nothing after message_stop").isEmpty();
    }

    @Test
    void anUpstreamThatEndsWithoutFinishingEndsWithOneError() {
        text(new DefaultHttpContent(bytes(CHUNK)), false);
        String end = text(new DefaultLastHttpContent(Unpooled.buffer(0)), true);

        assertThat(end).startsWith("event: error\n").contains("\"type\":\"api_error\"").doesNotContain("message_stop");
        assertThat(failure()).isEmpty();
    }

    @Test
    void aFailureMidStreamIsOneErrorEvent() {
        text(new DefaultHttpContent(bytes(CHUNK)), false);

        assertThat(failure()).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\","
                + "\"message\":\"broke\"}}\n\n");
        assertThat(failure()).as("only one").isEmpty();
    }

    @Test
    void errorBodiesBecomeAnthropicErrorsAndTheInputIsReleased() {
        ByteBuf body = bytes("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                + "\"code\":\"rate_limit_exceeded\"}}");

        ByteBuf out = translation.errorBody(429, body);
        try {
            assertThat(body.refCnt()).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":"
                    + "\"rate_limit_error\",\"message\":\"Rate limit reached\"}}");
        } finally {
            out.release();
        }
    }
}
