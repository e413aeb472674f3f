package io.claudelb.server.mock;

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
 * A minimal HTTP/1.1 client over one socket, for tests that need what java.net.http hides: the exact bytes of each
 * chunk, several requests on one connection, pipelining, and what arrived before a reset.
 */
final class RawHttpConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttpConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Request bytes for a POST with a JSON body and extra header lines ("name: value"). */
    static byte[] post(String path, String body, String... headers) {
        byte[] bodyBytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                + "content-type: application/json\r\ncontent-length: " + bodyBytes.length + "\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[headBytes.length + bodyBytes.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(bodyBytes, 0, all, headBytes.length, bodyBytes.length);
        return all;
    }

    void send(byte[] request) throws IOException {
        out.write(request);
        out.flush();
    }

    /** Reads one whole response; throws if the connection ends or resets before it is complete. */
    Response read() throws IOException {
        Response response = new Response();
        readInto(response);
        return response;
    }

    /** Reads as much of one response as arrives; the response's {@code failure} says how it ended early. */
    Response readUntilFailure() {
        Response response = new Response();
        try {
            readInto(response);
        } catch (IOException e) {
            response.failure = e;
        }
        return response;
    }

    private void readInto(Response r) throws IOException {
        String statusLine = line();
        r.status = Integer.parseInt(statusLine.split(" ")[1]);
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            r.headers.computeIfAbsent(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(header.substring(colon + 1).trim());
        }
        String length = r.header("content-length");
        if (length != null) {
            r.body.writeBytes(exactly(Integer.parseInt(length)));
            r.complete = true;
            return;
        }
        while (true) {
            int size = Integer.parseInt(line().trim(), 16);
            if (size == 0) {
                line();
                r.complete = true;
                return;
            }
            byte[] chunk = exactly(size);
            r.chunks.add(chunk);
            r.body.writeBytes(chunk);
            if (!line().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
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
        return buf.toString(StandardCharsets.US_ASCII);
    }

    private byte[] exactly(int n) throws IOException {
        byte[] data = in.readNBytes(n);
        if (data.length < n) {
            throw new EOFException("connection closed after " + data.length + " of " + n + " bytes");
        }
        return data;
    }

    /** Next byte from the socket, or -1 at its end; a reset throws. */
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
        boolean complete;
        IOException failure;

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null ? null : values.get(0);
        }

        String bodyText() {
            return body.toString(StandardCharsets.UTF_8);
        }
    }
}
