package io.claudelb.server.mock;

import static io.claudelb.server.mock.MockMessagesTest.body;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.RawHttpClient;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mock's pipeline on an {@link EmbeddedChannel} with frozen time: pacing and time to first byte without
 * waiting, and backpressure with a gate that holds flushes back like a full socket.
 */
class MockPipelineTest {
    private final FlushGate gate = new FlushGate();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        MockUpstreamState state = new MockUpstreamState("embedded", MockBehaviour.defaults(), 0);
        channel = new EmbeddedChannel(new MockChannelInitializer(state,
                List.of(new HealthRoute(), new CountTokensRoute(), new MessagesRoute())));
        channel.pipeline().addFirst(gate);
        channel.freezeTime();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void paceSchedulesEachEventOnTheEventLoop() {
        send(body(true), "x-mock-pace-ms: 1000", "x-mock-ttfb-ms: 500", "x-mock-events: 2", "x-mock-thinking: false");
        assertThat(output()).isEmpty();

        channel.advanceTimeBy(499, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(output()).isEmpty();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        String first = output();
        assertThat(first).startsWith("HTTP/1.1 200 OK").contains("event: message_start");
        assertThat(count(first, "event: ")).isEqualTo(1);

        // After message_start: content_block_start, ping, 2 deltas, stop, message_delta, message_stop, a second each.
        StringBuilder rest = new StringBuilder();
        for (int second = 1; second <= 8; second++) {
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            String out = output();
            rest.append(out);
            assertThat(count(out, "event: ")).as("events in second %d", second).isEqualTo(second <= 7 ? 1 : 0);
        }
        assertThat(rest.toString()).contains("event: message_stop").endsWith("0\r\n\r\n");
    }

    @Test
    void streamPausesWhileNotWritableAndResumesOnWritability() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        gate.open = false;

        send(body(true), "x-mock-events: 50");
        channel.runPendingTasks();

        // Nothing was flushed, and the writer stopped at the first event that made the channel unwritable.
        assertThat(channel.outboundMessages()).isEmpty();
        assertThat(channel.isWritable()).isFalse();
        gate.open = true;
        gate.release(channel);
        String all = output();
        assertThat(count(all, "event: ")).isEqualTo(50 + 11);
        assertThat(all).endsWith("0\r\n\r\n");
    }

    @Test
    void closedConnectionCancelsAPendingAnswer() {
        send(body(true), "x-mock-ttfb-ms: 1000");
        channel.close();

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(output()).isEmpty();
    }

    private void send(String body, String... headers) {
        channel.writeInbound(Unpooled.wrappedBuffer(RawHttpClient.post("/v1/messages", body, headers)));
    }

    /** Everything written (and flushed) since the last call, as text. */
    private String output() {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            try {
                out.append(buf.toString(StandardCharsets.UTF_8));
            } finally {
                buf.release();
            }
        }
        return out.toString();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    /** Holds flushes back while closed, as a socket whose send buffer is full would. */
    private static final class FlushGate extends ChannelOutboundHandlerAdapter {
        boolean open = true;
        private ChannelHandlerContext ctx;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (open) {
                ctx.flush();
            }
        }

        void release(EmbeddedChannel channel) {
            ctx.flush();
            channel.runPendingTasks();
        }
    }
}
