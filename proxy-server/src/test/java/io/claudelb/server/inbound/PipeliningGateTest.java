package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PipeliningGateTest {
    private PipeliningGate gate;
    private EmbeddedChannel ch;

    @BeforeEach
    void start() {
        gate = new PipeliningGate();
        ch = new EmbeddedChannel(gate);
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    private static FullHttpRequest request(String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    }

    private String nextPassedUri() {
        FullHttpRequest passed = ch.readInbound();
        try {
            return passed == null ? null : passed.uri();
        } finally {
            ReferenceCountUtil.release(passed);
        }
    }

    private void answer(Object... parts) {
        for (Object part : parts) {
            ch.writeOutbound(part);
        }
        ch.runPendingTasks();
        Object written;
        while ((written = ch.readOutbound()) != null) {
            ReferenceCountUtil.release(written);
        }
    }

    @Test
    void aRequestWaitsUntilTheAnswerBeforeItIsComplete() {
        ch.writeInbound(request("/1"), request("/2"), request("/3"));
        assertThat(nextPassedUri()).isEqualTo("/1");
        assertThat(nextPassedUri()).isNull();
        assertThat(gate.heldRequests()).isEqualTo(2);
        assertThat(ch.config().isAutoRead()).isFalse();

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(nextPassedUri()).isEqualTo("/2");
        assertThat(ch.config().isAutoRead()).isFalse();
        assertThat(nextPassedUri()).isNull();

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND));
        assertThat(nextPassedUri()).isEqualTo("/3");
        assertThat(gate.heldRequests()).isZero();
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aStreamedAnswerEndsWithItsLastContentNotWithItsHead() {
        ch.writeInbound(request("/stream"), request("/health"));
        assertThat(nextPassedUri()).isEqualTo("/stream");

        answer(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultHttpContent(Unpooled.copiedBuffer("event: ping\n\n", StandardCharsets.UTF_8)));
        assertThat(nextPassedUri()).isNull();

        answer(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(nextPassedUri()).isEqualTo("/health");
    }

    @Test
    void anInterimContinueDoesNotEndTheAnswer() {
        ch.writeInbound(request("/1"), request("/2"));
        assertThat(nextPassedUri()).isEqualTo("/1");

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertThat(nextPassedUri()).isNull();
    }

    @Test
    void aLoneRequestPassesAtOnceAndReadingGoesOn() {
        ch.writeInbound(request("/only"));
        assertThat(nextPassedUri()).isEqualTo("/only");
        assertThat(ch.config().isAutoRead()).isTrue();
        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        ch.writeInbound(request("/next"));
        assertThat(nextPassedUri()).isEqualTo("/next");
    }

    @Test
    void theBodyOfAHeldRequestIsHeldWithItAndPassedOnWithItInOrder() {
        HttpContent firstBody = body("{\"a\":");
        HttpContent secondBody = body("{\"b\":");
        ch.writeInbound(head("/1"), firstBody, LastHttpContent.EMPTY_LAST_CONTENT, head("/2"), secondBody);
        assertThat(ch.<HttpRequest>readInbound().uri()).isEqualTo("/1");
        assertThat(ch.<HttpContent>readInbound()).isSameAs(firstBody);
        assertThat(ch.<HttpContent>readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.<Object>readInbound()).as("the second head and its body wait").isNull();
        assertThat(ch.config().isAutoRead()).isFalse();

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(ch.<HttpRequest>readInbound().uri()).isEqualTo("/2");
        assertThat(ch.<HttpContent>readInbound()).isSameAs(secondBody);
        assertThat(ch.config().isAutoRead()).as("nothing left held").isTrue();

        HttpContent rest = new DefaultLastHttpContent(Unpooled.copiedBuffer("1}", StandardCharsets.UTF_8));
        ch.writeInbound(rest);
        assertThat(ch.<HttpContent>readInbound()).as("the rest of the body whose turn it is").isSameAs(rest);
        firstBody.release();
        secondBody.release();
        rest.release();
    }

    @Test
    void aReleasedRequestTakesOnlyItsOwnBodyAndTheNextOneWaitsForItsAnswer() {
        ch.writeInbound(request("/1"), head("/2"), LastHttpContent.EMPTY_LAST_CONTENT, head("/3"),
                LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(nextPassedUri()).isEqualTo("/1");
        assertThat(gate.heldRequests()).isEqualTo(2);

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(ch.<HttpRequest>readInbound().uri()).isEqualTo("/2");
        assertThat(ch.<HttpContent>readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.<Object>readInbound()).isNull();
        assertThat(gate.heldRequests()).isEqualTo(1);
        assertThat(ch.config().isAutoRead()).isFalse();

        answer(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        assertThat(ch.<HttpRequest>readInbound().uri()).isEqualTo("/3");
        assertThat(ch.<HttpContent>readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat(ch.config().isAutoRead()).isTrue();
    }

    @Test
    void aHeldBodyIsReleasedWhenTheConnectionCloses() {
        HttpContent held = body("{}");
        ch.writeInbound(request("/1"), head("/held"), held);
        assertThat(nextPassedUri()).isEqualTo("/1");
        ch.close();
        assertThat(held.refCnt()).isZero();
    }

    private static HttpRequest head(String uri) {
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
    }

    private static HttpContent body(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    @Test
    void heldRequestsAreReleasedWhenTheConnectionCloses() {
        FullHttpRequest held = request("/held");
        ch.writeInbound(request("/1"), held);
        assertThat(nextPassedUri()).isEqualTo("/1");
        ch.close();
        assertThat(held.refCnt()).isZero();
    }
}
