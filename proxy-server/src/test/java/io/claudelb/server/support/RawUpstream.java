package io.claudelb.server.support;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written blocking HTTP/1.1 upstream for answers the shipped mock cannot give (tests only): every request
 * on {@code POST .../v1/messages} gets one fixed JSON message with the extra response header lines given at start,
 * such as {@code Connection: close}, while the socket itself stays open, so a proxy that ignored the header would
 * visibly send its next request on the same connection. One thread per connection; everything stops on close.
 */
public final class RawUpstream implements AutoCloseable {
    /** One request as received: which connection (numbered from 1) and which request on it (from 1). */
    public record Received(int connection, int requestOnConnection, String requestLine, Map<String, String> headers,
                           byte[] body) {
    }

    private static final String BODY = "{\"id\":\"msg_raw\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"raw\",\"content\":[{\"type\":\"text\",\"text\":\"raw upstream\"}],\"stop_reason\":"
            + "\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":2}}";

    private final ServerSocket server;
    private final String extraHeaders;
    /** Whole answers (head and body bytes) to give in turn instead of the fixed message; the last one repeats. */
    private final List<byte[]> script;
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger connectionsEnded = new AtomicInteger();
    private final Thread acceptor;

    private RawUpstream(ServerSocket server, String extraHeaders, List<byte[]> script) {
        this.server = server;
        this.extraHeaders = extraHeaders;
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "raw-upstream-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on a free loopback port; every answer carries the given header lines ("name: value"). */
    public static RawUpstream start(String... responseHeaders) {
        StringBuilder extra = new StringBuilder();
        for (String h : responseHeaders) {
            extra.append(h).append("\r\n");
        }
        return listen(extra.toString(), null);
    }

    /**
     * Listens on a free loopback port and answers the n-th request with the n-th of {@code answers}, raw bytes
     * exactly as given (a broken status line, an oversized head, a bad chunk...); the last answer repeats. The
     * connection stays open after each answer, so a proxy that pooled a broken connection would reuse it.
     */
    public static RawUpstream scripted(String... answers) {
        List<byte[]> bytes = new ArrayList<>();
        for (String a : answers) {
            bytes.add(a.getBytes(StandardCharsets.ISO_8859_1));
        }
        return listen("", List.copyOf(bytes));
    }

    private static RawUpstream listen(String extraHeaders, List<byte[]> script) {
        try {
            return new RawUpstream(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), extraHeaders, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<Received> requests() {
        return List.copyOf(received);
    }

    public int connectionsAccepted() {
        return connections.get();
    }

    /** Connections the other side closed (or that ended otherwise). */
    public int connectionsEnded() {
        return connectionsEnded.get();
    }

    /** Writes {@code bytes} on every open connection now, unasked: a misbehaving upstream. */
    public void sendUnasked(String bytes) throws IOException {
        for (Socket s : sockets) {
            if (!s.isClosed()) {
                s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                sockets.add(socket);
                int id = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket, id), "raw-upstream-conn-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int connection) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int n = 1; ; n++) {
                String requestLine = line(in);
                Map<String, String> headers = new LinkedHashMap<>();
                String header;
                while (!(header = line(in)).isEmpty()) {
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            header.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                byte[] body = in.readNBytes(length);
                received.add(new Received(connection, n, requestLine, headers, body));
                if (script != null) {
                    out.write(script.get(Math.min(answered.getAndIncrement(), script.size() - 1)));
                    out.flush();
                    continue;
                }
                byte[] payload = BODY.getBytes(StandardCharsets.UTF_8);
                String head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                        + payload.length + "\r\nrequest-id: req_raw_" + connection + "_" + n + "\r\n" + extraHeaders
                        + "\r\n";
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(payload);
                out.flush();
            }
        } catch (IOException e) {
            // The peer closed the connection (or close() did): this connection is over.
        } finally {
            connectionsEnded.incrementAndGet();
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException();
            }
            if (b != '\r') {
                buf.write(b);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
