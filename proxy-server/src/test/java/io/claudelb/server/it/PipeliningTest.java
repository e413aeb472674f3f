package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HTTP/1.1 pipelining: requests written back to back on one connection, before any answer is read, are answered
 * completely and in the order they were sent, whether relayed or answered by the proxy itself.
 */
class PipeliningTest {
    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.anthropic(MockOptions.builder().ioThreads(1).build());

    @Test
    void twoRelayedRequestsAreAnsweredInOrder() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true),
                            "x-mock-pace-ms: 5"),
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-haiku-4-5", false))));

            Response first = client.read();
            Response second = client.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(Sse.names(first.bodyText())).last().isEqualTo("message_stop");
            assertThat(first.bodyText()).contains("claude-sonnet-4-5");
            assertThat(second.status).isEqualTo(200);
            assertThat(Json.field(second.bodyText(), "model")).isEqualTo("claude-haiku-4-5");
        }
        assertThat(servers.mock().requests()).hasSize(2);
    }

    @Test
    void threeRelayedRequestsInOneWriteAreAllAnswered() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(
                    RawHttpClient.post("/v1/messages", Requests.messages("model-one", false), "x-mock-ttfb-ms: 50"),
                    RawHttpClient.post("/v1/messages", Requests.messages("model-two", false)),
                    RawHttpClient.post("/v1/messages", Requests.messages("model-three", true))));

            assertThat(Json.field(client.read().bodyText(), "model")).isEqualTo("model-one");
            assertThat(Json.field(client.read().bodyText(), "model")).isEqualTo("model-two");
            assertThat(client.read().bodyText()).contains("\"model\":\"model-three\"");
        }
        assertThat(servers.mock().requests()).hasSize(3);
    }

    @Test
    void localAnswerWaitsForTheRelayedAnswerBeforeIt() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true),
                            "x-mock-ttfb-ms: 100"),
                    RawHttpClient.get("/health"),
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-haiku-4-5", false))));

            Response first = client.read();
            Response second = client.read();
            Response third = client.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(Sse.names(first.bodyText())).last().isEqualTo("message_stop");
            assertThat(second.status).isEqualTo(200);
            assertThat(Json.field(second.bodyText(), "status")).isEqualTo("healthy");
            assertThat(third.status).isEqualTo(200);
            assertThat(Json.field(third.bodyText(), "model")).isEqualTo("claude-haiku-4-5");
        }
    }

    @Test
    void localErrorWaitsForTheRelayedAnswerBeforeIt() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(
                    RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                            "x-mock-ttfb-ms: 100"),
                    RawHttpClient.get("/no-such-endpoint"),
                    RawHttpClient.post("/v1/messages", "not json")));

            Response first = client.read();
            Response second = client.read();
            Response third = client.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(Json.field(first.bodyText(), "type")).isEqualTo("message");
            assertThat(second.status).isEqualTo(404);
            assertThat(third.status).isEqualTo(400);
        }
    }

    private static byte[] concat(byte[]... requests) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] r : requests) {
            all.writeBytes(r);
        }
        return all.toByteArray();
    }
}
