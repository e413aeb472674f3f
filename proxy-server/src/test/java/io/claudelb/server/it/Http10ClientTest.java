package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An HTTP/1.0 client never gets {@code transfer-encoding: chunked} (RFC 9112 §6.1): a stream of unknown length goes
 * to it close-delimited, every byte as the upstream sent it, and the connection closes after the last one; an answer
 * of known length keeps its {@code content-length}.
 */
class Http10ClientTest {
    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.anthropic(MockOptions.defaults());

    /** Sends one HTTP/1.0 request and reads until the proxy closes the connection. */
    private String exchange(boolean stream) throws IOException {
        byte[] body = Requests.messages("claude-sonnet-4-5", stream).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", servers.proxy().port())) {
            socket.setSoTimeout(10_000);
            String head = "POST /v1/messages HTTP/1.0\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aStreamGoesCloseDelimitedWithoutChunkedFraming() throws IOException {
        String answer = exchange(true);
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase();
        String body = answer.substring(split + 4);
        assertThat(head).startsWith("http/1.1 200").doesNotContain("transfer-encoding").doesNotContain(
                "content-length").contains("connection: close");
        // No chunk sizes between the events: the SSE bytes as they are, complete up to message_stop.
        assertThat(body).startsWith("event: message_start");
        assertThat(Sse.names(body)).last().isEqualTo("message_stop");
    }

    @Test
    void anAnswerOfKnownLengthKeepsItsLength() throws IOException {
        String answer = exchange(false);
        int split = answer.indexOf("\r\n\r\n");
        String head = answer.substring(0, split).toLowerCase();
        String body = answer.substring(split + 4);
        assertThat(head).doesNotContain("transfer-encoding").contains("content-length: " + body.getBytes(
                StandardCharsets.UTF_8).length);
        assertThat(body).startsWith("{").contains("\"type\":\"message\"");
    }
}
