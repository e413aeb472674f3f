package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.observe.ExchangeEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ClientTimeoutsTest {
    private static final long HEADER_READ = TimeUnit.SECONDS.toNanos(30);
    private static final long IDLE = TimeUnit.MINUTES.toNanos(10);

    private final List<ExchangeEvent> ended = new ArrayList<>();
    private final ClientTimeouts timeouts = new ClientTimeouts(HEADER_READ, IDLE,
            new LocalAnswers(NanoClock.SYSTEM, System::currentTimeMillis, () -> ended::add));
    private final EmbeddedChannel ch = new EmbeddedChannel(timeouts);

    private void read(String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        ch.releaseInbound();
    }

    private void advance(long amount, TimeUnit unit) {
        ch.advanceTimeBy(amount, unit);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aRequestThatTricklesPastTheReadTimeoutGets408AndIsClosed() {
        read("POST /v1/mess");
        advance(29, TimeUnit.SECONDS);
        read("ages HTTP/1.1\r\n");
        assertThat(ch.outboundMessages()).isEmpty();

        advance(2, TimeUnit.SECONDS);
        FullHttpResponse res = ch.readOutbound();
        try {
            assertThat(res.status().code()).isEqualTo(408);
            // The 408 has its access line, under the id its answer carries.
            assertThat(ended).hasSize(1);
            assertThat(ended.get(0).status()).isEqualTo(408);
            assertThat(ended.get(0).answeredLocally()).isTrue();
            assertThat(ended.get(0).requestId()).isEqualTo(res.headers().get("x-claude-lb-request-id"));
        } finally {
            res.release();
        }
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void noClockRunsWhileTheAnswerIsUnderWayHoweverLong() {
        read("POST / HTTP/1.1\r\n\r\n");
        timeouts.requestReceived();
        advance(3, TimeUnit.HOURS);
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void aConnectionWaitingForItsNextRequestIsClosedAfterTheIdleTimeoutCountedFromTheLastAnswer() {
        read("POST / HTTP/1.1\r\n\r\n");
        timeouts.requestReceived();
        advance(9, TimeUnit.MINUTES);
        // A stream that ends just before an idle check would be due must still get a whole idle_timeout after it.
        timeouts.readyForNext();
        advance(9, TimeUnit.MINUTES);
        assertThat(ch.isOpen()).isTrue();

        advance(1, TimeUnit.MINUTES);
        assertThat(ch.isOpen()).isFalse();
        assertThat(ch.outboundMessages()).isEmpty();
    }

    @Test
    void aNewConnectionThatNeverSendsARequestIsClosedAfterTheIdleTimeout() {
        advance(9, TimeUnit.MINUTES);
        assertThat(ch.isOpen()).isTrue();
        advance(1, TimeUnit.MINUTES);
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void eachRequestOnAKeptAliveConnectionStartsItsOwnReadClock() {
        read("POST / HTTP/1.1\r\n\r\n");
        timeouts.requestReceived();
        timeouts.readyForNext();
        advance(5, TimeUnit.MINUTES);
        read("POST / HT");
        advance(29, TimeUnit.SECONDS);
        read("TP/1.1\r\n\r\n");
        timeouts.requestReceived();
        advance(1, TimeUnit.HOURS);
        assertThat(ch.outboundMessages()).isEmpty();
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }
}
