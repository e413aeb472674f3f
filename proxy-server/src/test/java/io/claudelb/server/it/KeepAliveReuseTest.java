package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.RawUpstream;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backend keep-alive: with one event loop every exchange uses that loop's pool, so sequential requests (on one client
 * connection or several) travel over one upstream connection; an answer with {@code Connection: close} is never
 * followed by another request on its connection.
 */
class KeepAliveReuseTest {
    private MockUpstream mock;
    private RawUpstream raw;
    private ProxyServer proxy;

    @AfterEach
    void stop() throws Exception {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        if (mock != null) {
            mock.close();
        }
        if (raw != null) {
            raw.close();
        }
    }

    @Test
    void sequentialRequestsShareOneUpstreamConnection() throws Exception {
        mock = MockUpstream.start(MockOptions.builder().ioThreads(1).build());
        proxy = ProxyServer.start(TestConfigs.proxy().ioThreads(1).anthropic("up", mock.baseUrl()).build(),
                NanoClock.SYSTEM, "test");

        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", i % 2 == 0)));
                assertThat(client.read().status).isEqualTo(200);
            }
        }
        for (int i = 0; i < 2; i++) {
            Response r = RawHttpClient.exchange(proxy.port(),
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            assertThat(r.status).isEqualTo(200);
        }

        List<RecordedRequest> requests = mock.requests();
        assertThat(requests).hasSize(5);
        assertThat(requests).extracting(RecordedRequest::connectionId).containsOnly(requests.get(0).connectionId());
        assertThat(requests).extracting(RecordedRequest::requestOnConnection).containsExactly(1, 2, 3, 4, 5);
        assertThat(mock.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.openBackendConnections()).isEqualTo(1);
    }

    @Test
    void answerWithConnectionCloseIsNeverReused() throws Exception {
        // The shipped mock only says Connection: close after a malformed request, which the proxy never sends; this
        // hand-written upstream says it on every answer and still keeps its socket open.
        raw = RawUpstream.start("connection: close");
        proxy = ProxyServer.start(TestConfigs.proxy().ioThreads(1).anthropic("raw", raw.baseUrl()).build(),
                NanoClock.SYSTEM, "test");

        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            for (int i = 0; i < 3; i++) {
                client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));
                Response r = client.read();
                assertThat(r.status).isEqualTo(200);
                assertThat(r.bodyText()).contains("raw upstream");
                // Connection is hop-by-hop: the client's own connection stays open for its next request.
                assertThat(r.header("connection")).isNull();
            }
        }

        assertThat(raw.requests()).extracting(RawUpstream.Received::requestLine)
                .containsOnly("POST /v1/messages HTTP/1.1");
        assertThat(raw.requests()).extracting(RawUpstream.Received::connection).containsExactly(1, 2, 3);
        assertThat(raw.requests()).extracting(RawUpstream.Received::requestOnConnection).containsOnly(1);
        Await.until("the closed upstream connections are gone", () -> proxy.openBackendConnections() == 0,
                Duration.ofSeconds(5));
    }

    @Test
    void bytesAnUpstreamSendsOnAPooledConnectionCloseItInsteadOfAnsweringTheNextRequest() throws Exception {
        raw = RawUpstream.start();
        proxy = ProxyServer.start(TestConfigs.proxy().ioThreads(1).anthropic("raw", raw.baseUrl()).build(),
                NanoClock.SYSTEM, "test");
        Response first = RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));
        assertThat(first.status).isEqualTo(200);

        // A stray answer while the connection sits in the pool: read then, it must not become the next answer.
        raw.sendUnasked("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\n\r\n{\"x\":\"y\"}");
        Await.until("the pooled connection is closed", () -> raw.connectionsEnded() == 1, Duration.ofSeconds(5));

        Response second = RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));
        assertThat(second.status).isEqualTo(200);
        assertThat(second.bodyText()).contains("raw upstream");
        assertThat(raw.requests()).extracting(RawUpstream.Received::connection).containsExactly(1, 2);
    }
}
