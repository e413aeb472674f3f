package io.claudelb.server.routing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP CONNECT proxy on loopback for tests (plain blocking sockets, a thread per direction): it records each
 * CONNECT target and Proxy-Authorization it saw, answers 407 when its Basic credentials are required and missing or
 * wrong, and otherwise tunnels bytes both ways.
 */
final class TestConnectProxy implements AutoCloseable {
    /** One CONNECT request as received. */
    record Connect(String target, String proxyAuthorization) {
    }

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<Connect> connects = new CopyOnWriteArrayList<>();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    /** @param user null: no credentials required */
    TestConnectProxy(String user, String password) throws IOException {
        this.expectedAuthorization = user == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "test-connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    List<Connect> connects() {
        return List.copyOf(connects);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                start(() -> tunnel(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void tunnel(Socket client) {
        try {
            InputStream in = client.getInputStream();
            List<String> lines = head(in);
            if (lines.isEmpty()) {
                client.close();
                return;
            }
            String[] first = lines.get(0).split(" ");
            String auth = null;
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("proxy-authorization")) {
                    auth = line.substring(colon + 1).trim();
                }
            }
            connects.add(new Connect(first.length > 1 ? first[1] : "", auth));
            OutputStream out = client.getOutputStream();
            if (!first[0].equals("CONNECT")) {
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                client.close();
                return;
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(auth)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                client.close();
                return;
            }
            int colon = first[1].lastIndexOf(':');
            Socket upstream = new Socket(first[1].substring(0, colon), Integer.parseInt(first[1].substring(colon + 1)));
            sockets.add(upstream);
            out.write("HTTP/1.1 200 Connection Established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            start(() -> pump(upstream, client));
            pump(client, upstream);
        } catch (IOException | RuntimeException e) {
            closeQuietly(client);
        }
    }

    /** Reads the request head line by line up to the blank line. */
    private static List<String> head(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.US_ASCII).strip();
                if (text.isEmpty()) {
                    return lines;
                }
                lines.add(text);
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines;
    }

    private static void pump(Socket from, Socket to) {
        byte[] buf = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void start(Runnable task) {
        Thread t = new Thread(task, "test-connect-proxy-tunnel");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Closing after the peer went away: nothing left to do.
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(TestConnectProxy::closeQuietly);
    }
}
