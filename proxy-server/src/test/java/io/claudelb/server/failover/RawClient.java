package io.claudelb.server.failover;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over one socket, for what java.net.http hides: each chunk as it arrives, whether a
 * chunked body was terminated properly, and closing the connection in the middle of a stream (a client that goes
 * away). One request at a time.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Sends a request; {@code body} may be null; headers are "name: value" lines. */
    void send(String method, String path, String body, List<String> headers) throws IOException {
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n");
        if (body != null) {
            head.append("content-type: application/json\r\n");
        }
        head.append("content-length: ").append(bodyBytes.length).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bodyBytes);
        out.flush();
    }

    /** Reads one whole response; throws if the connection ends before it is complete. */
    Response read() throws IOException {
        Response r = readHead();
        readBody(r);
        return r;
    }

    /** Reads as much of one response as arrives; {@link Response#failure} says how it ended early. */
    Response readUntilFailure() {
        Response r = new Response();
        try {
            readHeadInto(r);
            readBody(r);
        } catch (IOException e) {
            r.failure = e;
        }
        return r;
    }

    /** Reads the status line and headers only; follow with {@link #readChunk} for a chunked body. */
    Response readHead() throws IOException {
        Response r = new Response();
        readHeadInto(r);
        return r;
    }

    /** The next chunk's data of a chunked body, or null at the terminating chunk. */
    byte[] readChunk() throws IOException {
        int size = Integer.parseInt(line().trim(), 16);
        if (size == 0) {
            line();
            return null;
        }
        byte[] chunk = exactly(size);
        if (!line().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return chunk;
    }

    private void readHeadInto(Response r) throws IOException {
        String statusLine = line();
        r.status = Integer.parseInt(statusLine.split(" ")[1]);
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            r.headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(header.substring(colon + 1).trim());
        }
    }

    private void readBody(Response r) throws IOException {
        String length = r.header("content-length");
        if (length != null) {
            r.body.writeBytes(exactly(Integer.parseInt(length)));
            r.complete = true;
            return;
        }
        byte[] chunk;
        while ((chunk = readChunk()) != null) {
            r.chunks.add(chunk);
            r.body.writeBytes(chunk);
        }
        r.complete = true;
    }

    private String line() throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("connection closed");
            }
            if (b != '\r') {
                buf.write(b);
            }
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("connection closed after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    /** Next byte on the connection, -1 at its end. */
    int readByte() throws IOException {
        return in.read();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One response, possibly incomplete. */
    static final class Response {
        int status;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final List<byte[]> chunks = new ArrayList<>();
        /** The body ended as its framing says (content-length reached, or the terminating chunk). */
        boolean complete;
        IOException failure;

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonTree json() {
            return JsonTree.parse(bodyText());
        }

        /** The upstream that answered, as the proxy says ({@code x-claude-lb-upstream}). */
        String upstream() {
            return header("x-claude-lb-upstream");
        }

        /** Complete SSE events of the body; an unfinished tail is dropped. */
        List<SseEvent> events() {
            return SseEvent.parse(bodyText());
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + bodyText();
        }
    }

    /** One server-sent event. */
    record SseEvent(String event, String data) {
        /**
         * Parses as an SSE client does (WHATWG rules, minus id/retry): lines end with LF, CRLF or CR; {@code data:}
         * lines of one event are joined with LF; a blank line dispatches an event that has data, and forgets the
         * event name either way. An unfinished event at the end is dropped.
         */
        static List<SseEvent> parse(String stream) {
            List<SseEvent> events = new ArrayList<>();
            String event = null;
            StringBuilder data = null;
            String[] lines = stream.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
            // The piece after the last line end is an unfinished line.
            for (int i = 0; i < lines.length - 1; i++) {
                String line = lines[i];
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new SseEvent(event, data.toString()));
                    }
                    event = null;
                    data = null;
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                if (field.equals("event")) {
                    event = value;
                } else if (field.equals("data")) {
                    data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                }
            }
            return events;
        }
    }
}
