package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A streamed answer reaches the client with exactly the bytes the upstream sent. */
class StreamingRelayTest {
    private static final MockBehaviour ALL_BLOCKS = MockBehaviour.builder().thinking(true).toolUse(true)
            .textEvents(24).textBytes(2_000).build();

    private MockUpstream mock;
    private ProxyServer proxy;

    @BeforeEach
    void startMock() {
        mock = MockUpstream.start(MockOptions.builder().name("up").behaviour(ALL_BLOCKS).ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        mock.close();
    }

    @Test
    void anthropicStreamIsByteIdenticalToADirectCall() throws Exception {
        proxy = ProxyServer.start(TestConfigs.proxy().anthropic("up", mock.baseUrl()).build(), NanoClock.SYSTEM,
                "test");
        String body = Requests.messages("claude-sonnet-4-5", true);

        Response direct = RawHttpClient.exchange(mock.port(),
                RawHttpClient.post("/v1/messages", body, "anthropic-version: 2023-06-01"));
        Response relayed = RawHttpClient.exchange(proxy.port(),
                RawHttpClient.post("/v1/messages", body, "anthropic-version: 2023-06-01"));

        assertThat(relayed.status).isEqualTo(200);
        assertThat(relayed.header("content-type")).isEqualTo(direct.header("content-type"));
        assertThat(relayed.bodyBytes()).isEqualTo(direct.bodyBytes());
        assertAllBlockKinds(relayed.bodyText());
        // Passthrough: the upstream got the client's body unchanged.
        assertThat(mock.requests()).extracting(RecordedRequest::bodyText).containsExactly(body, body);
    }

    @Test
    void pacedStreamArrivingInManyReadsIsByteIdentical() throws Exception {
        proxy = ProxyServer.start(TestConfigs.proxy().anthropic("up", mock.baseUrl()).build(), NanoClock.SYSTEM,
                "test");
        mock.setBehaviour(ALL_BLOCKS.toBuilder().pace(Duration.ofMillis(2)).build());
        String body = Requests.messages("claude-haiku-4-5", true);

        Response direct = RawHttpClient.exchange(mock.port(), RawHttpClient.post("/v1/messages", body));
        Response relayed = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", body));

        assertThat(relayed.chunks.size()).isGreaterThan(10);
        assertThat(relayed.bodyBytes()).isEqualTo(direct.bodyBytes());
        assertAllBlockKinds(relayed.bodyText());
    }

    @Test
    void databricksStreamDiffersFromADirectCallOnlyByTheRewrittenModel() throws Exception {
        proxy = ProxyServer.start(TestConfigs.proxy().databricks("ws", mock.baseUrl() + "/serving-endpoints")
                .build(), NanoClock.SYSTEM, "test");
        String body = Requests.messages("claude-opus-4-5-20251101", true);

        Response relayed = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", body));
        RecordedRequest sent = mock.requests().get(0);
        String rewritten = body.replace("\"claude-opus-4-5-20251101\"", "\"databricks-claude-opus-4-5\"");
        assertThat(sent.bodyText()).isEqualTo(rewritten);

        // The same (rewritten) request sent straight to the workspace gets exactly the bytes the client got.
        Response direct = RawHttpClient.exchange(mock.port(),
                RawHttpClient.post("/serving-endpoints/anthropic/v1/messages", rewritten));
        assertThat(relayed.status).isEqualTo(200);
        assertThat(relayed.bodyBytes()).isEqualTo(direct.bodyBytes());
        assertThat(relayed.bodyText()).contains("\"model\":\"databricks-claude-opus-4-5\"");
        assertAllBlockKinds(relayed.bodyText());
    }

    private static void assertAllBlockKinds(String stream) {
        List<Sse.Event> events = Sse.parse(stream);
        assertThat(events).first().extracting(Sse.Event::event).isEqualTo("message_start");
        assertThat(events).last().extracting(Sse.Event::event).isEqualTo("message_stop");
        assertThat(stream).contains("\"thinking_delta\"", "\"signature_delta\"", "\"text_delta\"",
                "\"tool_use\"", "\"input_json_delta\"");
        assertThat(stream.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(2_000);
    }
}
