package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestTimeoutHandlerTest {
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(30);

    @Test
    void aRequestThatTricklesPastTheTimeoutGets408AndIsClosed() {
        RequestTimeoutHandler handler = new RequestTimeoutHandler(TIMEOUT);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(Unpooled.copiedBuffer("POST /v1/mess", StandardCharsets.US_ASCII));
        ch.releaseInbound();

        ch.advanceTimeBy(29, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.outboundMessages()).isEmpty();

        ch.advanceTimeBy(2, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status().code()).isEqualTo(408);
        } finally {
            res.release();
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void noTimerRunsWhileAnExchangeIsInFlightOrBetweenRequests() {
        RequestTimeoutHandler handler = new RequestTimeoutHandler(TIMEOUT);
        EmbeddedChannel ch = new EmbeddedChannel(handler);
        ch.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\n\r\n", StandardCharsets.US_ASCII));
        ch.releaseInbound();
        handler.requestReceived();
        ch.advanceTimeBy(10, TimeUnit.MINUTES);
        ch.runScheduledPendingTasks();
        handler.readyForNext();
        ch.advanceTimeBy(10, TimeUnit.MINUTES);
        ch.runScheduledPendingTasks();
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
