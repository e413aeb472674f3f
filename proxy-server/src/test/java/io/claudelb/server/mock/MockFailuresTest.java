package io.claudelb.server.mock;

import static io.claudelb.server.mock.MockMessagesTest.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Sse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Injected failures: error statuses, in-band errors, resets, failFirst. */
class MockFailuresTest {
    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockOptions.builder().ioThreads(1).build());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private RawHttpClient.Response call(String body, String... headers) {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body, headers));
            return connection.readUntilFailure();
        }
    }

    @ParameterizedTest
    @CsvSource({"400,invalid_request_error", "401,authentication_error", "402,billing_error",
        "403,permission_error", "404,not_found_error", "408,timeout_error", "413,request_too_large",
        "429,rate_limit_error", "500,api_error", "502,api_error", "503,overloaded_error", "504,timeout_error",
        "529,overloaded_error"})
    void errorStatusHasTheAnthropicErrorTypeForTheStatus(int status, String type) {
        mock.setBehaviour(MockBehaviour.builder().errorStatus(status).build());

        RawHttpClient.Response response = call(body(true));

        assertThat(response.status).isEqualTo(status);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(response.header("request-id")).startsWith("req_mock_");
        Json error = Json.parse(response.bodyText());
        assertThat(error.text("type")).isEqualTo("error");
        assertThat(error.text("error.type")).isEqualTo(type);
        assertThat(error.text("error.message")).isNotEmpty();
    }

    @Test
    void retryAfterGoesWithErrorsOnly() {
        mock.setBehaviour(MockBehaviour.builder().errorStatus(429).retryAfter("7").build());

        RawHttpClient.Response limited = call(body(false));
        RawHttpClient.Response overridden = call(body(false), "x-mock-status: 529", "x-mock-retry-after: 3");
        RawHttpClient.Response ok = call(body(false), "x-mock-status: 200");

        assertThat(limited.status).isEqualTo(429);
        assertThat(limited.header("retry-after")).isEqualTo("7");
        assertThat(overridden.status).isEqualTo(529);
        assertThat(overridden.header("retry-after")).isEqualTo("3");
        assertThat(Json.parse(overridden.bodyText()).text("error.type")).isEqualTo("overloaded_error");
        assertThat(ok.status).isEqualTo(200);
        assertThat(ok.header("retry-after")).isNull();
    }

    @Test
    void inBandErrorFollowsMessageStartInsideA200Stream() {
        RawHttpClient.Response stream = call(body(true), "x-mock-in-band-error: true");
        RawHttpClient.Response json = call(body(false), "x-mock-in-band-error: true");

        assertThat(stream.status).isEqualTo(200);
        assertThat(stream.complete).isTrue();
        List<Sse.Event> events = Sse.parse(stream.bodyText());
        assertThat(events).extracting(Sse.Event::event).containsExactly("message_start", "error");
        assertThat(events.get(1).json().text("type")).isEqualTo("error");
        assertThat(events.get(1).json().text("error.type")).isEqualTo("overloaded_error");
        assertThat(json.status).isEqualTo(529);
        assertThat(Json.parse(json.bodyText()).text("error.type")).isEqualTo("overloaded_error");
    }

    @Test
    void resetAfterEventsDeliversExactlyThoseEventsThenResets() {
        RawHttpClient.Response response = call(body(true), "x-mock-reset-after-events: 4");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).isFalse();
        assertThat(response.failure).isInstanceOf(IOException.class);
        assertThat(Sse.parse(response.bodyText())).extracting(Sse.Event::event)
                .containsExactly("message_start", "content_block_start", "ping", "content_block_delta");
    }

    @Test
    void resetAfterMoreEventsThanTheStreamHasCutsTheTerminatingChunk() {
        RawHttpClient.Response response = call(body(true), "x-mock-reset-after-events: 1000");

        assertThat(response.complete).isFalse();
        assertThat(Sse.parse(response.bodyText())).extracting(Sse.Event::event).endsWith("message_stop");
    }

    @Test
    void resetAfterZeroEventsSendsOnlyTheHead() {
        RawHttpClient.Response response = call(body(true), "x-mock-reset-after-events: 0");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.chunks).isEmpty();
        assertThat(response.failure).isNotNull();
    }

    @Test
    void jsonAnswerWithResetIsCutMidBody() {
        RawHttpClient.Response response = call(body(false), "x-mock-reset-after-events: 0");

        assertThat(response.status).isEqualTo(200);
        assertThat(response.complete).isFalse();
        assertThat(response.failure).isNotNull();
    }

    @Test
    void javaHttpClientSeesAMidStreamResetAsAnIoException() throws Exception {
        mock.setBehaviour(MockBehaviour.builder().resetAfterEvents(3).build());
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(body(true))).build();

        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        try (InputStream in = response.body()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
        }
    }

    @Test
    void resetBeforeHeadersSendsNothing() throws Exception {
        try (RawHttpClient connection = RawHttpClient.connect(mock.port())) {
            connection.send(RawHttpClient.post("/v1/messages", body(true), "x-mock-reset-before-headers: true"));
            assertThatThrownBy(connection::readByte).isInstanceOf(IOException.class)
                    .hasMessageContaining("reset");
        }
        HttpClient client = HttpClient.newHttpClient();
        mock.setBehaviour(MockBehaviour.builder().resetBeforeHeaders(true).build());
        HttpRequest request = HttpRequest.newBuilder(URI.create(mock.baseUrl() + "/v1/messages"))
                .POST(HttpRequest.BodyPublishers.ofString(body(false))).build();
        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void failFirstFailsThatManyRequestsThenSucceedsAndRestartsOnSetBehaviour() {
        MockBehaviour flaky = MockBehaviour.builder().errorStatus(503).failFirst(2).build();
        mock.setBehaviour(flaky);

        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            statuses.add(call(body(false)).status);
        }
        mock.setBehaviour(flaky);
        statuses.add(call(body(false)).status);
        mock.setBehaviour(MockBehaviour.builder().failFirst(1).build());
        statuses.add(call(body(false)).status);
        statuses.add(call(body(false)).status);

        assertThat(statuses).containsExactly(503, 503, 200, 200, 503, 529, 200);
    }

    @Test
    void failureHeaderFailsItsRequestWhateverFailFirstSays() {
        mock.setBehaviour(MockBehaviour.builder().errorStatus(500).failFirst(1).build());
        call(body(false));

        assertThat(call(body(false)).status).isEqualTo(200);
        assertThat(call(body(false), "x-mock-status: 502").status).isEqualTo(502);
    }

    @Test
    void timeToFirstByteDelaysTheAnswer() {
        long started = System.nanoTime();
        RawHttpClient.Response response = call(body(false), "x-mock-ttfb-ms: 200");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(response.status).isEqualTo(200);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(200);
    }

    @Test
    void paceSpacesTheEvents() {
        long started = System.nanoTime();
        RawHttpClient.Response response = call(body(true), "x-mock-pace-ms: 50", "x-mock-events: 1",
                "x-mock-thinking: false");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        List<Sse.Event> events = Sse.parse(response.bodyText());
        assertThat(events).hasSize(7);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(6 * 50);
        assertThat(Duration.ofMillis(elapsedMs)).isLessThan(Duration.ofSeconds(10));
    }
}
