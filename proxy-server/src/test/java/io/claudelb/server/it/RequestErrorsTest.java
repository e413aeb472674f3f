package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import java.io.UncheckedIOException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests the proxy answers itself with an Anthropic-shaped error and never relays: too large (413), not JSON or
 * without a model (400), a model no route serves (404). The upstream sees none of them.
 */
class RequestErrorsTest {
    private static final int MAX_REQUEST_BYTES = 4 * 1024;

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.withBodyCap(MAX_REQUEST_BYTES);

    @Test
    void bodyOverTheCapGets413RequestTooLarge() {
        String big = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + "x".repeat(3 * MAX_REQUEST_BYTES) + "\"}]}";

        Response response = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages", big));

        assertError(response, 413, "request_too_large");
        assertThat(Json.field(response.bodyText(), "error.message")).contains(String.valueOf(MAX_REQUEST_BYTES));
    }

    @Test
    void clientWritingABodyFarOverTheCapStillReadsThe413() {
        String huge = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + "x".repeat(8 * 1024 * 1024) + "\"}]}";
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            // Like most clients it writes the whole body before reading. The proxy closes after its 413 without
            // reading the rest, so the write may end in a reset; the answer must be readable all the same.
            try {
                client.send(RawHttpClient.post("/v1/messages", huge));
            } catch (UncheckedIOException e) {
                assertThat(e.getCause()).isInstanceOf(SocketException.class);
            }
            assertError(client.read(), 413, "request_too_large");
        }
    }

    @Test
    void bodyAtTheCapIsRelayed() {
        String prefix = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"";
        String suffix = "\"}]}";
        String exact = prefix + "y".repeat(MAX_REQUEST_BYTES - prefix.length() - suffix.length()) + suffix;

        Response response = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages", exact));

        assertThat(response.status).isEqualTo(200);
        assertThat(servers.mock().requests()).hasSize(1);
    }

    @Test
    void malformedJsonGets400() {
        Response response = RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", "{\"model\":\"claude-sonnet-4-5\",\"messages\":["));

        assertError(response, 400, "invalid_request_error");
    }

    @Test
    void bodyThatIsNotAnObjectGets400() {
        Response response = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages", "[1,2]"));

        assertError(response, 400, "invalid_request_error");
    }

    @Test
    void missingModelGets400NamingTheField() {
        Response response = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages",
                "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));

        assertError(response, 400, "invalid_request_error");
        assertThat(Json.field(response.bodyText(), "error.message")).contains("model");
    }

    @Test
    void modelNoRouteServesGets404() {
        Response response = RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", Requests.messages("gpt-4o", false)));

        assertError(response, 404, "not_found_error");
        assertThat(Json.field(response.bodyText(), "error.message")).contains("gpt-4o");
    }

    @Test
    void connectionStaysUsableAfterALocalError() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(RawHttpClient.post("/v1/messages", "not json"));
            assertThat(client.read().status).isEqualTo(400);
            client.send(RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));
            assertThat(client.read().status).isEqualTo(200);
        }
        assertThat(servers.mock().requests()).hasSize(1);
    }

    private void assertError(Response response, int status, String type) {
        assertThat(response.status).isEqualTo(status);
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(Json.field(response.bodyText(), "type")).isEqualTo("error");
        assertThat(Json.field(response.bodyText(), "error.type")).isEqualTo(type);
        assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
        assertThat(servers.mock().requests()).isEmpty();
    }
}
