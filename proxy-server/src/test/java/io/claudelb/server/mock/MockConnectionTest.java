package io.claudelb.server.mock;

import static io.claudelb.server.mock.MockMessagesTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection handling: keep-alive, pipelining, recording, backpressure, lifecycle. */
class MockConnectionTest {
    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockOptions.builder().ioThreads(2).build());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    @Test
    void keepAliveRequestsShareTheirConnectionId() {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(true)));
            assertThat(connection.read().status).isEqualTo(200);
            connection.send(RawHttpClient.post("/v1/messages/count_tokens", "{}"));
            assertThat(connection.read().status).isEqualTo(200);
        }
        try (RawHttpClient other = RawHttpClient.connect(mock.port())) {
            other.send(RawHttpClient.post("/v1/messages", body(false)));
            assertThat(other.read().status).isEqualTo(200);
        }

        List<RecordedRequest> requests = mock.requests();
        assertThat(requests).extracting(RecordedRequest::requestOnConnection).containsExactly(1, 2, 1);
        assertThat(requests.get(1).connectionId()).isEqualTo(requests.get(0).connectionId());
        assertThat(requests.get(2).connectionId()).isNotEqualTo(requests.get(0).connectionId());
        assertThat(mock.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawHttpClient.post("/v1/messages", body(true), "x-mock-pace-ms: 5"));
            both.writeBytes(RawHttpClient.post("/v1/messages", body(false), "x-mock-status: 429"));
            connection.send(both.toByteArray());

            RawHttpClient.Response first = connection.read();
            RawHttpClient.Response second = connection.read();
            assertThat(first.status).isEqualTo(200);
            assertThat(Sse.parse(first.bodyText())).last().extracting(Sse.Event::event).isEqualTo("message_stop");
            assertThat(second.status).isEqualTo(429);
        }
        assertThat(mock.requests()).extracting(RecordedRequest::requestOnConnection).containsExactly(1, 2);
    }

    @Test
    void requestsAreRecordedWithHeadersAndBodyAndCanBeCleared() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v1/messages?beta=true"))
                .header("x-api-key", "sk-test")
                .header("anthropic-beta", "a-1,b-2")
                .header("anthropic-version", "2023-06-01")
                .POST(HttpRequest.BodyPublishers.ofString(body(false))).build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(mock.requests()).singleElement().satisfies(recorded -> {
            assertThat(recorded.method()).isEqualTo("POST");
            assertThat(recorded.uri()).isEqualTo("/v1/messages?beta=true");
            assertThat(recorded.header("X-Api-Key")).isEqualTo("sk-test");
            assertThat(recorded.headers().get("anthropic-beta")).containsExactly("a-1,b-2");
            assertThat(recorded.bodyText()).isEqualTo(body(false));
            assertThat(recorded.connectionId()).isEqualTo(1);
        });
        mock.clearRequests();
        assertThat(mock.requests()).isEmpty();
    }

    @Test
    void recordingCanBeTurnedOff() {
        try (MockUpstream quiet = MockUpstream.start(MockOptions.builder().recordLimit(0).ioThreads(1).build());
                RawHttpClient connection = RawHttpClient.connect(quiet.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(false)));
            assertThat(connection.read().status).isEqualTo(200);
            assertThat(quiet.requests()).isEmpty();
            assertThat(quiet.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void largeStreamIsWrittenCompletelyThroughBackpressure() {
        int events = 4_000;
        int textBytes = 16 * 1024 * 1024;
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(true), "x-mock-events: " + events,
                    "x-mock-text-bytes: " + textBytes, "x-mock-thinking: false"));
            RawHttpClient.Response response = connection.read();

            assertThat(response.complete).isTrue();
            List<Sse.Event> parsed = Sse.parse(response.bodyText());
            assertThat(parsed).hasSize(events + 6);
            int text = MockMessagesTest.deltas(parsed, 0, "text_delta", "text").stream()
                    .mapToInt(String::length).sum();
            assertThat(text).isEqualTo(textBytes);
        }
    }

    @Test
    void behaviourChangesApplyToLaterRequests() {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(false)));
            assertThat(connection.read().status).isEqualTo(200);
            mock.setBehaviour(MockBehaviour.builder().errorStatus(500).build());
            connection.send(RawHttpClient.post("/v1/messages", body(false)));
            assertThat(connection.read().status).isEqualTo(500);
        }
        assertThat(mock.behaviour().errorStatus()).isEqualTo(500);
    }

    @Test
    void connectionCloseRequestIsHonoured() throws IOException {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(false), "connection: close"));
            RawHttpClient.Response response = connection.read();
            assertThat(response.status).isEqualTo(200);
            assertThat(connection.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void malformedRequestGets400AndClose() throws IOException {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send("POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: nope\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            RawHttpClient.Response response = connection.read();
            assertThat(response.status).isEqualTo(400);
            assertThat(Json.parse(response.bodyText()).text("error.type")).isEqualTo("invalid_request_error");
            assertThat(connection.readByte()).isEqualTo(-1);
        }
    }

    @Test
    void closeStopsListeningAndBaseUrlNamesThePort() {
        MockUpstream other = MockUpstream.start(MockOptions.builder().name("second").ioThreads(1).build());
        int port = other.port();
        assertThat(other.baseUrl()).isEqualTo("http://127.0.0.1:" + port);
        assertThat(other.name()).isEqualTo("second");

        other.close();

        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void bindFailureIsReportedWithTheAddress() {
        MockOptions taken = MockOptions.builder().port(mock.port()).ioThreads(1).build();

        assertThatThrownBy(() -> MockUpstream.start(taken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("127.0.0.1:" + mock.port());
    }
}
