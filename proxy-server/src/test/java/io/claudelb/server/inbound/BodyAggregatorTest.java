package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.support.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyAggregatorTest {
    private final List<ExchangeEvent> ended = new ArrayList<>();
    private final LocalAnswers answers = new LocalAnswers(NanoClock.SYSTEM, System::currentTimeMillis,
            () -> ended::add);

    @Test
    void aRequestOverTheCapGets413RequestTooLargeAndTheConnectionCloses() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyAggregator(16, answers));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
        ch.writeInbound(head);

        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status().code()).isEqualTo(413);
            String body = res.content().toString(StandardCharsets.UTF_8);
            assertThat(Json.field(body, "type")).isEqualTo("error");
            assertThat(Json.field(body, "error.type")).isEqualTo("request_too_large");
            assertThat(Json.field(body, "error.message")).contains("16 bytes");
            assertThat(ended).hasSize(1);
            assertThat(ended.get(0).status()).isEqualTo(413);
            assertThat(ended.get(0).method()).isEqualTo("POST");
            assertThat(ended.get(0).path()).isEqualTo("/v1/messages");
            assertThat(ended.get(0).requestId()).isEqualTo(res.headers().get("x-claude-lb-request-id"));
        } finally {
            res.release();
        }
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void anOversizedBodyAnnouncedWithExpectContinueGetsTheSameAnswerAsWithoutExpect() {
        FullHttpResponse withoutExpect = oversizedAnswer(false);
        FullHttpResponse withExpect = oversizedAnswer(true);
        try {
            assertThat(withExpect.status()).isEqualTo(withoutExpect.status());
            assertThat(withExpect.content().toString(StandardCharsets.UTF_8))
                    .isEqualTo(withoutExpect.content().toString(StandardCharsets.UTF_8));
            assertThat(withExpect.headers().names()).containsExactlyElementsOf(withoutExpect.headers().names());
            assertThat(withExpect.headers().get("x-claude-lb-request-id")).startsWith("lbreq_");
        } finally {
            withoutExpect.release();
            withExpect.release();
        }
        assertThat(ended).extracting(ExchangeEvent::status).containsExactly(413, 413);
        assertThat(ended).extracting(ExchangeEvent::path).containsExactly("/v1/messages", "/v1/messages");
    }

    /** The one answer a 100-byte body gets from a 16-byte aggregator; the connection must close after it. */
    private FullHttpResponse oversizedAnswer(boolean expectContinue) {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyAggregator(16, answers));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
        if (expectContinue) {
            head.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        }
        ch.writeInbound(head);
        FullHttpResponse res = ch.readOutbound();
        assertThat(ch.<Object>readOutbound()).as("one answer only").isNull();
        assertThat(ch.isOpen()).as("closed after the 413").isFalse();
        assertThat(ch.<Object>readInbound()).isNull();
        ch.finishAndReleaseAll();
        return res;
    }

    @Test
    void anExpectationOtherThanContinueGets417AsAnAnthropicErrorAndTheBodyIsNotRead() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyAggregator(1024, answers));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
        head.headers().set(HttpHeaderNames.EXPECT, "something-else");
        ch.writeInbound(head, new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));

        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status().code()).isEqualTo(417);
            String body = res.content().toString(StandardCharsets.UTF_8);
            assertThat(Json.field(body, "type")).isEqualTo("error");
            assertThat(Json.field(body, "error.type")).isEqualTo("invalid_request_error");
            assertThat(Json.field(body, "error.message")).contains("100-continue");
            assertThat(ended).hasSize(1);
            assertThat(ended.get(0).status()).isEqualTo(417);
            assertThat(ended.get(0).path()).isEqualTo("/v1/messages");
            assertThat(ended.get(0).requestId()).isEqualTo(res.headers().get("x-claude-lb-request-id"));
        } finally {
            res.release();
        }
        assertThat(ch.<Object>readInbound()).as("the request goes no further").isNull();
        assertThat(ch.isOpen()).isFalse();
        ch.finishAndReleaseAll();
    }

    @Test
    void aBodyWithinTheCapAnnouncedWithExpectContinueGets100ContinueAndIsAggregated() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyAggregator(1024, answers));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
        head.headers().set(HttpHeaderNames.EXPECT, HttpHeaderValues.CONTINUE);
        ch.writeInbound(head);
        FullHttpResponse interim = ch.readOutbound();
        assertThat(interim.status().code()).isEqualTo(100);
        interim.release();

        ch.writeInbound(new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        FullHttpRequest full = ch.readInbound();
        try {
            assertThat(full.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
            assertThat(full.headers().contains(HttpHeaderNames.EXPECT)).as("answered here, not sent upstream")
                    .isFalse();
        } finally {
            full.release();
        }
        assertThat(ended).isEmpty();
        ch.finishAndReleaseAll();
    }

    @Test
    void aFollowingAggregatorJudgesEachRequestByTheLimitInForceWhenItArrives() {
        long[] limit = {1024};
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("body-aggregator", BodyAggregator.following(() -> limit[0], answers));
        HttpRequest first = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        first.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
        ch.writeInbound(first, new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[100])));
        FullHttpRequest aggregated = ch.readInbound();
        assertThat(aggregated.content().readableBytes()).isEqualTo(100);
        aggregated.release();

        limit[0] = 16;
        HttpRequest second = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        second.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 100);
        ch.writeInbound(second);

        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status().code()).isEqualTo(413);
            assertThat(Json.field(res.content().toString(StandardCharsets.UTF_8), "error.message"))
                    .contains("16 bytes");
        } finally {
            res.release();
        }
        ch.finishAndReleaseAll();
    }

    @Test
    void aRequestWithinTheCapIsAggregated() {
        EmbeddedChannel ch = new EmbeddedChannel(new BodyAggregator(1024, answers));
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/messages");
        head.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
        ch.writeInbound(head, new DefaultLastHttpContent(Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        FullHttpRequest full = ch.readInbound();
        try {
            assertThat(full.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
        } finally {
            full.release();
        }
        ch.finishAndReleaseAll();
    }
}
