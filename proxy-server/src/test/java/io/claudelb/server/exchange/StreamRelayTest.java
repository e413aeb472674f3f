package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The relay over an embedded sink: batching, tap, backpressure, failures and timeouts. */
class StreamRelayTest {
    private static final long IDLE = TimeUnit.SECONDS.toNanos(30);
    private static final long STALL = TimeUnit.SECONDS.toNanos(300);

    private final RecordingSink sink = new RecordingSink();
    private final FakeClock clock = new FakeClock();
    private int reads;
    private StreamRelay.End ended;
    private FailureKind failure;
    private Boolean reusable;
    private StreamRelay relay;
    private final ExchangeTimer timer = new ExchangeTimer(sink.channel.eventLoop(), () -> relay.onTimer());

    StreamRelayTest() {
        // The loop's scheduler moves only when the test advances it.
        sink.channel.freezeTime();
    }

    private StreamRelay relay(boolean eventStream) {
        relay = new StreamRelay(sink, ResponseTranslation.IDENTITY, eventStream, true, () -> reads++, timer, clock,
                IDLE, STALL, false, (end, kind, upstreamReusable) -> {
                    assertThat(ended).as("told once").isNull();
                    ended = end;
                    failure = kind;
                    reusable = upstreamReusable;
                });
        relay.start(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        return relay;
    }

    @AfterEach
    void close() {
        timer.remove();
        sink.channel.finishAndReleaseAll();
    }

    private static HttpContent chunk(String text) {
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private static LastHttpContent last(String text) {
        return new DefaultLastHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    private void advance(Duration by) {
        clock.advance(by);
        sink.channel.advanceTimeBy(by.toNanos(), TimeUnit.NANOSECONDS);
        sink.channel.runScheduledPendingTasks();
    }

    /** The body bytes written to the sink so far, in order (the head is skipped). */
    private String written() {
        StringBuilder out = new StringBuilder();
        Object msg;
        while ((msg = sink.channel.readOutbound()) != null) {
            if (msg instanceof HttpContent c) {
                out.append(c.content().toString(StandardCharsets.UTF_8));
            } else {
                assertThat(msg).isInstanceOf(HttpResponse.class);
            }
            io.netty.util.ReferenceCountUtil.release(msg);
        }
        return out.toString();
    }

    @Test
    void oneChunkAndOneFlushPerUpstreamReadThenReadsAgain() {
        relay(true);
        relay.relay(chunk("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
        relay.relay(chunk("event: content_block_delta\n"));
        relay.relay(chunk("data: {\"type\":\"content_block_delta\"}\n\n"));
        assertThat(sink.flushes).isZero();
        relay.readComplete();
        assertThat(sink.flushes).isEqualTo(1);
        assertThat(reads).isEqualTo(1);
        Object head = sink.channel.readOutbound();
        assertThat(head).isInstanceOf(HttpResponse.class);
        HttpContent batch = sink.channel.readOutbound();
        try {
            assertThat(batch.content().toString(StandardCharsets.UTF_8)).startsWith("event: ping")
                    .endsWith("\"content_block_delta\"}\n\n");
        } finally {
            batch.release();
        }
        Object next = sink.channel.readOutbound();
        assertThat(next).as("one chunk for the whole read").isNull();
        relay.relay(last("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        assertThat(sink.endings).containsExactly("end");
        assertThat(ended).isEqualTo(StreamRelay.End.COMPLETE);
        assertThat(reusable).isTrue();
        assertThat(relay.bytes()).isGreaterThan(100);
    }

    @Test
    void usageAndInBandErrorsAreTappedFromTheStream() {
        relay(true);
        relay.relay(chunk("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":"
                + "{\"input_tokens\":12,\"cache_read_input_tokens\":3000,\"output_tokens\":1}}}\n\n"));
        relay.relay(chunk("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\"},\"usage\":{\"output_tokens\":42}}\n\n"));
        relay.relay(last("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}\n\n"));
        assertThat(relay.usage().usage().inputTokens()).isEqualTo(12);
        assertThat(relay.usage().usage().cacheReadInputTokens()).isEqualTo(3000);
        assertThat(relay.usage().usage().outputTokens()).isEqualTo(42);
        assertThat(relay.usage().errorType()).isEqualTo("overloaded_error");
        written();
    }

    @Test
    void anUnwritableSinkPausesTheUpstreamUntilItDrains() {
        relay(true);
        sink.writable(false);
        relay.relay(chunk("data: a\n\n"));
        relay.readComplete();
        assertThat(reads).as("paused").isZero();
        sink.writable(true);
        assertThat(reads).as("resumed by the sink").isEqualTo(1);
        sink.writable(true);
        assertThat(reads).as("resumed once").isEqualTo(1);
        relay.relay(last(""));
        assertThat(sink.hasResumeHook()).as("the hook goes with the relay").isFalse();
        written();
    }

    @Test
    void anUpstreamCutInsideAnEventIsClosedOffAndEndedWithOneErrorEvent() {
        relay(true);
        relay.relay(chunk("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"te"));
        relay.readComplete();
        relay.fail(FailureKind.MID_STREAM);
        String out = written();
        assertThat(out).contains("{\"te\nevent: error\ndata: ")
                .contains("\"type\":\"api_error\"").endsWith("\n\n");
        assertThat(sink.endings).containsExactly("fail");
        assertThat(ended).isEqualTo(StreamRelay.End.UPSTREAM_FAILED);
        assertThat(failure).isEqualTo(FailureKind.MID_STREAM);
        assertThat(reusable).isFalse();
        relay.relay(chunk("late bytes are dropped"));
    }

    @Test
    void aPlainBodyCutShortAbortsTheSink() {
        relay(false);
        relay.relay(chunk("{\"id\":\"msg_1\",\"content\":["));
        relay.fail(FailureKind.MID_STREAM);
        assertThat(written()).isEqualTo("{\"id\":\"msg_1\",\"content\":[");
        assertThat(sink.endings).containsExactly("abort");
        assertThat(ended).isEqualTo(StreamRelay.End.UPSTREAM_FAILED);
    }

    @Test
    void anUpstreamSilentForItsIdleTimeoutFailsTheRelay() {
        relay(true);
        relay.relay(chunk("data: a\n\n"));
        relay.readComplete();
        advance(Duration.ofSeconds(29));
        assertThat(ended).isNull();
        advance(Duration.ofSeconds(1));
        assertThat(ended).isEqualTo(StreamRelay.End.UPSTREAM_FAILED);
        assertThat(failure).isEqualTo(FailureKind.READ_TIMEOUT);
        assertThat(written()).contains("event: error");
    }

    @Test
    void aPausedRelayIsNeverAnUpstreamTimeoutButAStalledSinkEndsIt() {
        relay(true);
        sink.writable(false);
        relay.relay(chunk("data: a\n\n"));
        relay.readComplete();
        advance(Duration.ofSeconds(31));
        advance(Duration.ofSeconds(200));
        assertThat(ended).as("the upstream waits for us, not we for it").isNull();
        advance(Duration.ofSeconds(70));
        assertThat(ended).isEqualTo(StreamRelay.End.SINK_STALLED);
        assertThat(failure).isNull();
        assertThat(reusable).isFalse();
        assertThat(sink.endings).containsExactly("abort");
        assertThat(reads).isZero();
        written();
    }

    @Test
    void resumingGivesTheUpstreamAFreshIdleWindow() {
        relay(true);
        sink.writable(false);
        relay.relay(chunk("data: a\n\n"));
        relay.readComplete();
        advance(Duration.ofSeconds(100));
        sink.writable(true);
        advance(Duration.ofSeconds(20));
        assertThat(ended).as("20 s since the upstream was asked again").isNull();
        advance(Duration.ofSeconds(15));
        assertThat(failure).isEqualTo(FailureKind.READ_TIMEOUT);
        written();
    }

    @Test
    void theShutdownGraceEndsAStreamWithAnErrorSayingSo() {
        relay(true);
        relay.relay(chunk("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
        relay.shutDown();
        assertThat(written()).endsWith("\n\n").contains("event: error").contains("shutting down");
        assertThat(ended).isEqualTo(StreamRelay.End.SHUT_DOWN);
        assertThat(sink.endings).containsExactly("fail");
    }

    @Test
    void cancellingReleasesWhatTheBatchHeld() {
        relay(true);
        ByteBuf held = Unpooled.copiedBuffer("data: held\n\n", StandardCharsets.UTF_8);
        relay.relay(new DefaultHttpContent(held));
        relay.cancel();
        assertThat(held.refCnt()).isZero();
        assertThat(ended).isEqualTo(StreamRelay.End.CANCELLED);
        assertThat(sink.endings).isEmpty();
        written();
    }
}
