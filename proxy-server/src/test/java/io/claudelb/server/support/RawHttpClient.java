package io.claudelb.server.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal blocking HTTP/1.1 client over one socket (tests only), for what java.net.http hides: exact body bytes,
 * each chunk as it arrives, whether a chunked body was terminated properly, several requests on one connection,
 * pipelining, a small receive buffer, closing the connection in the middle of a stream (a client that goes away),
 * and what arrived before the peer closed or reset.
 */
public final class RawHttpClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawHttpClient connect(int port) {
        return connect(port, 0);
    }

    /** @param receiveBuffer SO_RCVBUF set before connecting (so the TCP window stays small), or 0 for the default */
    public static RawHttpClient connect(int port, int receiveBuffer) {
        return connect("127.0.0.1", port, receiveBuffer);
    }

    /** A connection to {@code host} (a machine's own non-loopback address, for tests of loopback-only rules). */
    public static RawHttpClient connect(String host, int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(new InetSocketAddress(host, port), 5_000);
            return new RawHttpClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends one request on a new connection and reads its whole response. */
    public static Response exchange(int port, byte[] request) {
        try (RawHttpClient client = connect(port)) {
            client.send(request);
            return client.read();
        }
    }

    /** Request bytes for a POST with a JSON body and extra header lines ("name: value"). */
    public static byte[] post(String path, String body, String... headers) {
        return request("POST", path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** Request bytes for a GET with extra header lines. */
    public static byte[] get(String path, String... headers) {
        return request("GET", path, null, headers);
    }

    /** Request bytes; with a body, content-type JSON and its content-length are added. */
    public static byte[] request(String method, String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n");
        if (body != null) {
            head.append("content-type: application/json\r\ncontent-length: ").append(body.length).append("\r\n");
        }
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (body != null) {
            all.writeBytes(body);
        }
        return all.toByteArray();
    }

    public void send(byte[] request) {
        try {
            out.write(request);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one whole response; throws if the connection ends before it is complete. */
    public Response read() {
        Response response = readHead();
        try {
            readBody(response);
        } catch (IOException e) {
            throw new UncheckedIOException("response incomplete after " + response.body.size() + " body bytes", e);
        }
        return response;
    }

    /** Reads as much of one response as arrives; {@link Response#failure} says how it ended early. */
    public Response readUntilFailure() {
        Response response = new Response();
        try {
            readHeadInto(response);
            readBody(response);
        } catch (IOException e) {
            response.failure = e;
        }
        return response;
    }

    /** Reads the status line and headers only (a HEAD answer, or the start of a stream read with {@link #readChunk}). */
    public Response readHead() {
        Response response = new Response();
        try {
            readHeadInto(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return response;
    }

    /**
     * Reads the next chunk of a chunked body into {@code response}; returns its bytes, or null after the
     * terminating chunk (the response is then complete).
     */
    public byte[] readChunk(Response response) throws IOException {
        int size = Integer.parseInt(line().trim(), 16);
        if (size == 0) {
            while (!line().isEmpty()) {
                // trailers: none expected, skipped
            }
            response.complete = true;
            return null;
        }
        byte[] chunk = exactly(size);
        response.chunks.add(chunk);
        response.body.writeBytes(chunk);
        if (!line().isEmpty()) {
            throw new IOException("chunk not followed by CRLF");
        }
        return chunk;
    }

    /** Reads chunks until the body's text contains {@code marker}; fails if the response ends first. */
    public void readUntil(Response response, String marker) throws IOException {
        while (!response.bodyText().contains(marker)) {
            if (readChunk(response) == null) {
                throw new EOFException("response ended without " + marker);
            }
        }
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
        } else if ("chunked".equalsIgnoreCase(r.header("transfer-encoding"))) {
            while (readChunk(r) != null) {
                // each chunk is collected into the response
            }
        } else {
            r.body.writeBytes(in.readAllBytes());
            r.complete = true;
        }
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
        return buf.toString(StandardCharsets.UTF_8);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("connection closed after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    /** Next byte from the socket, or -1 at its end; a reset throws. */
    public int readByte() throws IOException {
        return in.read();
    }

    /**
     * Whether the connection has ended: the peer closed it, or reset it because it closed with bytes of ours still
     * unread (an answer sent before the rest of a body was read); false if another byte arrives instead.
     */
    public boolean ended() {
        try {
            return in.read() < 0;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response, possibly incomplete. */
    public static final class Response {
        public int status;
        public final Map<String, List<String>> headers = new LinkedHashMap<>();
        public final ByteArrayOutputStream body = new ByteArrayOutputStream();
        public final List<byte[]> chunks = new ArrayList<>();
        /** The body ended as its framing says (content-length reached, the terminating chunk, or end of stream). */
        public boolean complete;
        public IOException failure;

        /** First value of a header (name in lower case), or null. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        public byte[] bodyBytes() {
            return body.toByteArray();
        }

        public String bodyText() {
            return body.toString(StandardCharsets.UTF_8);
        }

        /** The body as a JSON tree; fails the test if it is not JSON. */
        public Json json() {
            return Json.parse(bodyText());
        }

        /** Complete SSE events of the body; an unfinished tail is dropped. */
        public List<Sse.Event> events() {
            return Sse.parse(bodyText());
        }

        /** The upstream that answered, as the proxy says ({@code x-claude-lb-upstream}). */
        public String upstream() {
            return header("x-claude-lb-upstream");
        }

        @Override
        public String toString() {
            return status + " " + headers + "\n" + bodyText();
        }
    }
}
