package io.claudelb.server.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.health.FailureKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawUpstream;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An upstream whose bytes are not HTTP, or break the decoder's limits, is an upstream failure: before the first
 * byte it fails over (or, alone, gets claude-lb's all-failed answer, never a {@code 999 Unknown}); a bad chunk
 * mid-stream ends the stream with one {@code event: error} instead of passing as complete; and such a connection is
 * never pooled.
 */
class ProtocolErrorTest {
    private static final String MODEL = "claude-sonnet-4-5";
    private static final String STREAM_HEAD = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n"
            + "transfer-encoding: chunked\r\n\r\n";
    private static final String STARTED = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
            + "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\","
            + "\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\nevent: content_block_start\ndata: "
            + "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n";

    private RawUpstream raw;
    private MockUpstream mock;
    private ProxyServer proxy;
    private final List<ExchangeEvent> ended = new CopyOnWriteArrayList<>();

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

    private void start(boolean withBackup) throws InterruptedException {
        TestConfigs config = TestConfigs.proxy().ioThreads(1).balancing(Cluster.IN_ORDER).anthropic("raw",
                raw.baseUrl());
        if (withBackup) {
            mock = MockUpstream.start(MockOptions.defaults());
            config.anthropic("backup", mock.baseUrl());
        }
        proxy = ProxyServer.start(config.build(), NanoClock.SYSTEM, "test");
        proxy.gateway().exchangeServices().observers().add(ended::add);
    }

    private RawHttpClient.Response send(boolean stream) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages(MODEL, stream)));
    }

    private long rawErrors(String kind) {
        byte[] stats = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats")).bodyBytes();
        return Json.parse(new String(stats, java.nio.charset.StandardCharsets.UTF_8)).named("endpoints", "raw")
                .number("errors_by_kind." + kind);
    }

    @Test
    void bytesThatAreNotHttpFailOverToTheNextUpstream() throws InterruptedException {
        raw = RawUpstream.scripted("SSH-2.0-OpenSSH_9.2\r\n\r\n");
        start(true);

        RawHttpClient.Response response = send(true);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.upstream()).isEqualTo("backup");
        assertThat(response.events()).extracting(Sse.Event::event).endsWith("message_stop");
        assertThat(rawErrors("protocol_error")).isEqualTo(1);
    }

    @Test
    void aHeadOverTheDecodersLimitFailsOverToo() throws InterruptedException {
        raw = RawUpstream.scripted("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-huge: "
                + "a".repeat(20_000) + "\r\ncontent-length: 2\r\n\r\n{}");
        start(true);

        RawHttpClient.Response response = send(false);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.upstream()).isEqualTo("backup");
        assertThat(rawErrors("protocol_error")).isEqualTo(1);
    }

    @Test
    void aLoneUpstreamSpeakingNonsenseGetsTheAllFailedAnswerNotA999() throws InterruptedException {
        raw = RawUpstream.scripted("HELLO\r\n\r\n");
        start(false);

        RawHttpClient.Response response = send(false);

        assertThat(response.status).isEqualTo(503);
        assertThat(response.json().text("type")).isEqualTo("error");
        assertThat(response.json().text("error.message")).contains("protocol_error");
        assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
        // The connection that carried the nonsense is closed, never pooled: the next request opens a new one.
        send(false);
        assertThat(raw.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aBadChunkMidStreamEndsTheStreamWithOneErrorEventAndTheConnectionIsNotPooled()
            throws InterruptedException {
        String chunk = Integer.toHexString(STARTED.length()) + "\r\n" + STARTED + "\r\n";
        raw = RawUpstream.scripted(STREAM_HEAD + chunk + "zz-not-a-size\r\n");
        start(false);

        RawHttpClient.Response response = send(true);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).as("a proper last chunk").isTrue();
        List<Sse.Event> events = response.events();
        assertThat(events).extracting(Sse.Event::event).containsExactly("message_start", "content_block_start",
                "error");
        assertThat(rawErrors("mid_stream")).as("after the first byte it is a mid-stream failure").isEqualTo(1);
        Await.until("the exchange ended", () -> !ended.isEmpty(), Duration.ofSeconds(5));
        assertThat(ended.get(0).failures()).containsExactly(FailureKind.PROTOCOL_ERROR);
        assertThat(ended.get(0).outcome()).isEqualTo(Outcome.FAILED_MID_STREAM);
        send(true);
        assertThat(raw.connectionsAccepted()).isEqualTo(2);
    }
}
