package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The answers the body aggregator writes itself (413, {@code 100 Continue}) to a request pipelined behind a stream
 * come after the stream's terminating chunk, never inside it. Each first response is read with strict chunk
 * framing, so a single byte of another answer written into it fails the read.
 */
class PipelinedBodyAnswersTest {
    private static final int MAX_REQUEST_BYTES = 4 * 1024;

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.withBodyCap(MAX_REQUEST_BYTES);

    @Test
    void a413ForAnOversizedRequestBehindAStreamComesAfterItsTerminatingChunk() {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(stream(), RawHttpClient.post("/v1/messages", "x".repeat(2 * MAX_REQUEST_BYTES))));

            assertCompleteStream(client.read());
            assertTooLarge(client.read());
            assertThat(client.ended()).as("the connection ends after the 413 (the rest of the body unread)").isTrue();
        }
        assertThat(servers.mock().requests()).hasSize(1);
    }

    @Test
    void a100ContinueForARequestBehindAStreamComesAfterItsTerminatingChunk() {
        byte[] body = Requests.messages("claude-haiku-4-5", false).getBytes(StandardCharsets.UTF_8);
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(stream(), expectContinue(body.length)));

            assertCompleteStream(client.read());
            Response interim = client.readHead();
            assertThat(interim.status).isEqualTo(100);
            assertThat(interim.headers).isEmpty();

            client.send(body);
            Response second = client.read();
            assertThat(second.status).isEqualTo(200);
            assertThat(Json.field(second.bodyText(), "model")).isEqualTo("claude-haiku-4-5");
        }
        assertThat(servers.mock().requests()).hasSize(2);
    }

    @Test
    void a413ForAnOversizedExpectRequestBehindAStreamComesAfterItsTerminatingChunk() throws IOException {
        try (RawHttpClient client = RawHttpClient.connect(servers.proxy().port())) {
            client.send(concat(stream(), expectContinue(2 * MAX_REQUEST_BYTES)));

            assertCompleteStream(client.read());
            assertTooLarge(client.read());
            assertThat(client.readByte()).isEqualTo(-1);
        }
        assertThat(servers.mock().requests()).hasSize(1);
    }

    /** A stream of a few events 20 ms apart: the request behind it is read long before it ends. */
    private static byte[] stream() {
        return RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", true), "x-mock-pace-ms: 20");
    }

    private static byte[] expectContinue(int contentLength) {
        return RawHttpClient.request("POST", "/v1/messages", null, "content-type: application/json",
                "content-length: " + contentLength, "expect: 100-continue");
    }

    private static void assertCompleteStream(Response first) {
        assertThat(first.status).isEqualTo(200);
        assertThat(first.complete).isTrue();
        assertThat(Sse.names(first.bodyText())).last().isEqualTo("message_stop");
    }

    private static void assertTooLarge(Response second) {
        assertThat(second.status).isEqualTo(413);
        assertThat(Json.field(second.bodyText(), "error.type")).isEqualTo("request_too_large");
        assertThat(second.header("x-claude-lb-request-id")).startsWith("lbreq_");
    }

    private static byte[] concat(byte[]... requests) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] r : requests) {
            all.writeBytes(r);
        }
        return all.toByteArray();
    }
}
