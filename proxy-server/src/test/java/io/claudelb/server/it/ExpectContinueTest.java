package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Expect: 100-continue} as curl sends it by itself for large bodies: the client writes the head, waits for
 * {@code 100 Continue}, then writes the body. A body within {@code max_request_bytes} is relayed; one over it gets
 * the same Anthropic 413 as without {@code Expect}, before the client has sent it; another expectation gets 417.
 */
class ExpectContinueTest {
    private static final int MAX_REQUEST_BYTES = 4 * 1024;

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.withBodyCap(MAX_REQUEST_BYTES);

    @Test
    void aBodyWithinTheCapGets100ContinueThenTheAnswer() {
        byte[] body = Requests.messages("claude-sonnet-4-5", false).getBytes(StandardCharsets.UTF_8);
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(head(body.length, "100-continue"));
            assertThat(client.readHead().status).as("asked to go on before any body byte").isEqualTo(100);

            client.send(body);
            Response response = client.read();
            assertThat(response.status).isEqualTo(200);
            assertThat(Json.field(response.bodyText(), "model")).isEqualTo("claude-sonnet-4-5");
        }
        assertThat(servers.mock().requests()).hasSize(1);
        assertThat(servers.mock().requests().get(0).header("expect")).as("answered by claude-lb").isNull();
    }

    @Test
    void aBodyOverTheCapGetsTheSame413AsWithoutExpectAndTheConnectionCloses() throws IOException {
        Response withoutExpect = RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", "x".repeat(2 * MAX_REQUEST_BYTES)));
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(head(2 * MAX_REQUEST_BYTES, "100-continue"));
            Response withExpect = client.read();

            assertThat(withExpect.status).isEqualTo(413);
            assertThat(withExpect.header("content-type")).isEqualTo("application/json");
            assertThat(Json.field(withExpect.bodyText(), "error.type")).isEqualTo("request_too_large");
            assertThat(withExpect.bodyText()).isEqualTo(withoutExpect.bodyText());
            assertThat(withExpect.headers.keySet()).isEqualTo(withoutExpect.headers.keySet());
            assertThat(withExpect.header("x-claude-lb-request-id")).startsWith("lbreq_")
                    .isNotEqualTo(withoutExpect.header("x-claude-lb-request-id"));
            assertThat(client.readByte()).as("the connection closes, as without Expect").isEqualTo(-1);
        }
        assertThat(servers.mock().requests()).isEmpty();
    }

    @Test
    void anotherExpectationGets417AsAnAnthropicError() throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(head(10, "a-treat"));
            Response response = client.read();

            assertThat(response.status).isEqualTo(417);
            assertThat(Json.field(response.bodyText(), "type")).isEqualTo("error");
            assertThat(Json.field(response.bodyText(), "error.type")).isEqualTo("invalid_request_error");
            assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
            assertThat(client.readByte()).isEqualTo(-1);
        }
        assertThat(servers.mock().requests()).isEmpty();
    }

    private static byte[] head(int contentLength, String expect) {
        return RawHttpClient.request("POST", "/v1/messages", null, "content-type: application/json",
                "content-length: " + contentLength, "expect: " + expect);
    }
}
