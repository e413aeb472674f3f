package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graceful shutdown: once stop begins, new connections are refused, while a stream already running goes on to its
 * end within the grace period (and reaches even a client that reads it late); past the grace it is cut.
 */
class GracefulShutdownTest {
    // 20 text deltas 50 ms apart: about a second of stream.
    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.anthropic(MockOptions.builder().ioThreads(1)
            .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(50)).textEvents(20).build()).build());

    @Test
    void runningStreamFinishesWhileNewConnectionsAreRefused() throws Exception {
        ProxyServer proxy = servers.proxy();
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            Response response = client.readHead();
            client.readUntil(response, "\"text_delta\"");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.stop(Duration.ofSeconds(10)));
            Await.until("the proxy refuses new connections", () -> refused(proxy.port()), Duration.ofSeconds(5));
            assertThat(stopping).as("stop waits for the running stream").isNotDone();

            while (client.readChunk(response) != null) {
                // the rest of the stream, as it comes
            }
            assertThat(response.complete).isTrue();
            assertThat(Sse.names(response.bodyText())).last().isEqualTo("message_stop");
            stopping.get(10, TimeUnit.SECONDS);
            assertThat(client.readByte()).as("the connection closes after the stream").isEqualTo(-1);
        }
        assertThat(refused(proxy.port())).isTrue();
    }

    @Test
    void slowClientStillGetsAllOfTheStreamThatWasRunning() throws Exception {
        // 8 MiB at once to a client that is not reading yet: the relay stalls with a few hundred KiB queued in the
        // proxy and most of the stream still upstream. Stop begins; the client, reading only now, gets all of it.
        ProxyServer proxy = servers.proxy();
        servers.mock().setBehaviour(servers.mock().behaviour().toBuilder().pace(Duration.ZERO).textEvents(2_000)
                .textBytes(8 * 1024 * 1024).build());
        try (RawHttpClient client = RawHttpClient.connect(proxy.port(), 8 * 1024)) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            Await.until("the relay stalls on the client", () -> proxy.pendingClientBytes() > 256 * 1024,
                    Duration.ofSeconds(10));

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> proxy.stop(Duration.ofSeconds(30)));
            Await.until("the proxy refuses new connections", () -> refused(proxy.port()), Duration.ofSeconds(5));

            Response response = client.read();
            assertThat(response.complete).isTrue();
            assertThat(response.bodyText()).hasSizeGreaterThan(8 * 1024 * 1024);
            assertThat(Sse.names(response.bodyText())).last().isEqualTo("message_stop");
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void streamStillRunningWhenTheGraceEndsIsClosedWithAnErrorEventAndLoggedAsCutByShutdown() throws Exception {
        ProxyServer proxy = servers.proxy();
        List<ExchangeEvent> ended = new CopyOnWriteArrayList<>();
        proxy.gateway().exchangeServices().observers().add(ended::add);
        servers.mock().setBehaviour(servers.mock().behaviour().toBuilder().textEvents(200).build());
        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            Response response = client.readHead();
            client.readUntil(response, "\"text_delta\"");

            long started = System.nanoTime();
            proxy.stop(Duration.ofMillis(300));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

            while (client.readChunk(response) != null) {
                // until the proxy's last chunk
            }
            assertThat(response.complete).as("a proper last chunk, not a reset").isTrue();
            assertThat(response.bodyText()).doesNotContain("message_stop");
            List<Sse.Event> events = Sse.parse(response.bodyText());
            assertThat(events).filteredOn(e -> e.event().equals("error")).hasSize(1);
            assertThat(events.get(events.size() - 1).event()).isEqualTo("error");
            assertThat(events.get(events.size() - 1).data()).contains("shutting down");
            assertThat(client.readByte()).as("then the connection closes").isEqualTo(-1);
        }
        assertThat(ended).extracting(ExchangeEvent::outcome).containsExactly(Outcome.CUT_BY_SHUTDOWN);
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
