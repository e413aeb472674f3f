package io.claudelb.server.failover;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upstream that answers every request with the same raw bytes and then resets the connection (TCP RST): for
 * failures the mock upstream cannot produce, such as a reset in the middle of an SSE event. Plain blocking sockets
 * on its own thread (a test fixture, never an event loop).
 */
final class ScriptedUpstream implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] answer;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    private ScriptedUpstream(byte[] answer) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer;
        this.acceptor = new Thread(this::serve, "scripted-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Answers with {@code answer} (status line, headers and body as the wire carries them), then resets. */
    static ScriptedUpstream resettingAfter(String answer) throws IOException {
        return new ScriptedUpstream(answer.getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP chunk carrying {@code data}. */
    static String chunk(String data) {
        return Integer.toHexString(data.getBytes(StandardCharsets.UTF_8).length) + "\r\n" + data + "\r\n";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    int requests() {
        return requests.get();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                readRequest(socket.getInputStream());
                requests.incrementAndGet();
                socket.getOutputStream().write(answer);
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // A client that went away: wait for the next one.
            }
        }
    }

    /** Reads one request head and its content-length body. */
    private static void readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended early");
            }
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        server.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
