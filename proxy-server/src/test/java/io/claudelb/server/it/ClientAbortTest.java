package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client that goes away mid-answer frees the backend connection (closed: a half-read response cannot be reused)
 * and is not held against the upstream: /stats shows no error and nothing in flight, and the next request works on
 * a fresh upstream connection.
 */
class ClientAbortTest {
    // 200 events 20 ms apart: the stream runs for seconds, far longer than the test needs to abort it.
    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().ioThreads(1)
            .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(20)).textEvents(200).build()).build(),
            mockUrl -> TestConfigs.proxy().ioThreads(1).anthropic("up", mockUrl));

    @Test
    void abortMidStreamClosesTheBackendAndIsNoUpstreamError() throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true)));
            Response head = client.readHead();
            assertThat(head.status).isEqualTo(200);
            client.readUntil(head, "\"text_delta\"");
            assertThat(head.bodyText()).doesNotContain("message_stop");
        }

        assertBackendFreedAndNoErrorCounted();
        assertNextRequestUsesANewUpstreamConnection();
    }

    @Test
    void abortBeforeTheAnswerStartsClosesTheBackendToo() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true),
                    "x-mock-ttfb-ms: 5000"));
            Await.until("the request reached the upstream", () -> servers.mock().requests().size() == 1,
                    Duration.ofSeconds(5));
        }

        assertBackendFreedAndNoErrorCounted();
        assertNextRequestUsesANewUpstreamConnection();
    }

    private void assertBackendFreedAndNoErrorCounted() {
        Await.until("the aborted exchange's backend connection is closed",
                () -> servers.proxy().openBackendConnections() == 0, Duration.ofSeconds(5));
        Await.until("nothing is in flight", () -> "0".equals(stats("endpoints.0.in_flight")), Duration.ofSeconds(5));
        assertThat(stats("endpoints.0.name")).isEqualTo("up");
        assertThat(stats("endpoints.0.total_errors")).isEqualTo("0");
        assertThat(stats("endpoints.0.circuit_open")).isEqualTo("false");
        assertThat(stats("endpoints.0.available")).isEqualTo("true");
    }

    private void assertNextRequestUsesANewUpstreamConnection() {
        Response next = RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));
        assertThat(next.status).isEqualTo(200);
        assertThat(Json.field(next.bodyText(), "type")).isEqualTo("message");

        List<RecordedRequest> requests = servers.mock().requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).connectionId()).isNotEqualTo(requests.get(0).connectionId());
        assertThat(servers.mock().connectionsAccepted()).isEqualTo(2);
        assertThat(stats("endpoints.0.total_errors")).isEqualTo("0");
    }

    private String stats(String path) {
        Response stats = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.get("/stats"));
        assertThat(stats.status).isEqualTo(200);
        return Json.field(stats.bodyText(), path);
    }
}
