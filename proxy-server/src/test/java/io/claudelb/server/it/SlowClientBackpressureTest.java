package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that stops reading a large stream must not make the proxy buffer it: the relay reads the upstream only
 * while the client can take more, so what the proxy holds for the client stays near its write-buffer high-water mark
 * (256 KiB) whatever the response size, and the upstream socket is left to fill up instead. The mock keeps no count
 * of bytes written, so the upstream side is observed through its consequence: the 16 MiB stream is larger than the
 * socket buffers between mock and client (a few MiB on Linux), so while the proxy holds under 1 MiB the mock cannot
 * have written it all. Then the client reads, and gets every byte a direct call gets.
 */
class SlowClientBackpressureTest {
    private static final int STREAM_TEXT_BYTES = 16 * 1024 * 1024;
    private static final long HIGH_WATER_MARK = 256 * 1024;

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().ioThreads(1)
            .behaviour(MockBehaviour.builder().textEvents(4_096).textBytes(STREAM_TEXT_BYTES).build()).build(),
            mockUrl -> TestConfigs.proxy().ioThreads(1).anthropic("up", mockUrl));

    @Test
    void stalledClientKeepsProxyMemoryBoundedAndThenGetsTheWholeStream() {
        byte[] request = RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true));
        byte[] direct = RawHttpClient.exchange(servers.mock().port(), request).bodyBytes();
        assertThat(direct.length).isGreaterThan(STREAM_TEXT_BYTES);

        try (RawHttpClient slow = RawHttpClient.connect(servers.proxy().port(), 16 * 1024)) {
            slow.send(request);
            Await.until("the proxy's writes to the stalled client back up past the high-water mark",
                    () -> servers.proxy().pendingClientBytes() > HIGH_WATER_MARK, Duration.ofSeconds(10));
            // Without the gate the relay would go on reading the upstream and queue most of the 16 MiB here.
            AtomicLong pending = new AtomicLong();
            Await.holdsFor(() -> "the proxy holds under 1 MiB for the stalled client (holds " + pending.get() + ")",
                    () -> {
                        pending.set(servers.proxy().pendingClientBytes());
                        return pending.get() < 1024 * 1024;
                    },
                    Duration.ofMillis(500));

            Response response = slow.read();
            assertThat(response.status).isEqualTo(200);
            assertThat(response.bodyBytes()).isEqualTo(direct);
            assertThat(Sse.names(response.bodyText())).last().isEqualTo("message_stop");
        }
    }

    @Test
    void aClientThatStopsReadingForTheWriteStallTimeoutLosesTheStreamAndFreesTheUpstream() throws Exception {
        List<ExchangeEvent> ended = new CopyOnWriteArrayList<>();
        try (MockUpstream mock = MockUpstream.start(MockOptions.builder().behaviour(MockBehaviour.builder()
                .textEvents(4_096).textBytes(STREAM_TEXT_BYTES).build()).build());
             ClosingProxy proxy = new ClosingProxy(ProxyServer.start(TestConfigs.proxy().ioThreads(1)
                     .server(ServerSettings.builder().host("127.0.0.1").port(0).ioThreads(1)
                             .writeStallTimeout(Duration.ofMillis(500)).build())
                     .anthropic("up", mock.baseUrl()).build(), NanoClock.SYSTEM, "test"));
             RawHttpClient stalled = RawHttpClient.connect(proxy.server.port(), 16 * 1024)) {
            proxy.server.gateway().exchangeServices().observers().add(ended::add);
            stalled.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            // A client that never reads again must not hold its exchange and an upstream connection forever.
            Await.until("the stalled exchange ends", () -> !ended.isEmpty(), Duration.ofSeconds(10));
            assertThat(ended.get(0).outcome()).isEqualTo(Outcome.CLIENT_STALLED);
            assertThat(ended.get(0).failures()).as("not the upstream's fault").isEmpty();
            Await.until("the upstream connection is closed", () -> proxy.server.openBackendConnections() == 0,
                    Duration.ofSeconds(5));
            Response cut = stalled.readUntilFailure();
            assertThat(cut.complete).isFalse();
        }
    }

    /** Stops a proxy at the end of a try-with-resources block. */
    private record ClosingProxy(ProxyServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.stop(Duration.ofSeconds(1));
        }
    }
}
