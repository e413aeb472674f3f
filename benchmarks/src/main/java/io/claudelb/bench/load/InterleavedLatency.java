package io.claudelb.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The load harness's latency client at concurrency 1 (issue 14, scenario a): one keep-alive connection per target
 * (direct, nginx, claude-lb), and in every round one request to each target in turn, the order rotated each round,
 * so whatever noise the shared machine makes at a moment hits all targets alike; separate wrk runs at c=1 are too
 * noisy here to tell 20 us apart. A request's time runs from the first byte written to the last byte of the answer
 * read (the terminal chunk, or Content-Length bytes). Blocking sockets on one thread: the client adds the same few
 * microseconds to every target and nothing of its own scheduling.
 *
 * <p>Prints one JSON line: per target the latency summary in microseconds ({@link Samples}) and the errors, plus
 * the per-round differences to the first target (paired: each round's claude-lb time minus the same round's direct
 * time), whose percentiles say what a proxy adds without the machine's slow moments in them.
 *
 * <p>With {@code --rounds-file FILE} it also writes every measured round as one line, per target in the order given
 * its start ({@link System#nanoTime()}), its duration and the run-queue wait of the target's serving threads during
 * it, in nanoseconds (-1 when not watched): the harness lays the slowest ones over the JVM's safepoint log, whose
 * {@code timenanos} decoration is the same clock on Linux (CLOCK_MONOTONIC), and over that wait, to say where
 * claude-lb's p99 comes from. {@code --watch-threads NAME=FILE,FILE...} names a target's threads by their
 * {@code /proc/PID/task/TID/schedstat} files, read (outside the timed window) before and after each of its requests;
 * the client's own thread is added to them. The second field is the time a thread waited on a run queue while
 * runnable.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.claudelb.bench.load.InterleavedLatency --target NAME=URL...
 * --body FILE --rounds N [--warmup-rounds N] [--header name:value]... [--rounds-file FILE]
 * [--watch-threads NAME=FILE,...]}; the first target is the baseline.
 */
public final class InterleavedLatency {
    private InterleavedLatency() {
    }

    public static void main(String[] args) throws IOException {
        List<String> names = new ArrayList<>();
        List<URI> urls = new ArrayList<>();
        List<String> extraHeaders = new ArrayList<>();
        String bodyFile = null;
        String roundsFile = null;
        String watchedTarget = null;
        List<Path> watchedThreads = new ArrayList<>();
        int rounds = 5000;
        int warmup = 500;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--target" -> {
                    int eq = value.indexOf('=');
                    names.add(value.substring(0, eq));
                    urls.add(URI.create(value.substring(eq + 1)));
                }
                case "--body" -> bodyFile = value;
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--warmup-rounds" -> warmup = Integer.parseInt(value);
                case "--header" -> extraHeaders.add(value);
                case "--rounds-file" -> roundsFile = value;
                case "--watch-threads" -> {
                    int eq = value.indexOf('=');
                    watchedTarget = value.substring(0, eq);
                    for (String f : value.substring(eq + 1).split(",")) {
                        watchedThreads.add(Path.of(f));
                    }
                    // The client's own thread is on the path too: a request it was descheduled in looks slow.
                    watchedThreads.add(Path.of("/proc/thread-self/schedstat"));
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
            i++;
        }
        if (names.size() < 2 || bodyFile == null) {
            throw new IllegalArgumentException("need two or more --target NAME=URL and --body FILE");
        }
        byte[] body = Files.readAllBytes(Path.of(bodyFile));
        int n = names.size();
        Target[] targets = new Target[n];
        for (int t = 0; t < n; t++) {
            targets[t] = new Target(urls.get(t), body, extraHeaders);
        }
        Samples[] samples = new Samples[n];
        Samples[] added = new Samples[n];
        long[] errors = new long[n];
        for (int t = 0; t < n; t++) {
            samples[t] = new Samples();
            added[t] = new Samples();
        }
        long[] round = new long[n];
        long[] waited = new long[n];
        int watched = names.indexOf(watchedTarget);
        StringBuilder roundLines = new StringBuilder();
        for (int r = 0; r < warmup + rounds; r++) {
            boolean ok = true;
            for (int k = 0; k < n; k++) {
                int t = (r + k) % n;
                long waitBefore = t == watched ? runQueueWait(watchedThreads) : 0;
                round[t] = targets[t].exchange();
                waited[t] = t == watched ? runQueueWait(watchedThreads) - waitBefore : -1;
                if (round[t] < 0) {
                    ok = false;
                    if (r >= warmup) {
                        errors[t]++;
                    }
                }
            }
            if (r < warmup || !ok) {
                continue;
            }
            for (int t = 0; t < n; t++) {
                roundLines.append(t == 0 ? "" : " ").append(targets[t].lastStart).append(' ').append(round[t])
                        .append(' ').append(waited[t]);
            }
            roundLines.append('\n');
            for (int t = 0; t < n; t++) {
                samples[t].add(round[t] / 1000);
                // Negative differences are real (the baseline's slow moment); Samples sorts them like any value.
                added[t].add((round[t] - round[0]) / 1000);
            }
        }
        if (roundsFile != null) {
            Files.writeString(Path.of(roundsFile), roundLines, StandardCharsets.US_ASCII);
        }
        StringBuilder json = new StringBuilder("{\"rounds\":").append(rounds).append(",\"targets\":{");
        for (int t = 0; t < n; t++) {
            json.append(t == 0 ? "" : ",").append('"').append(names.get(t)).append("\":{\"lat_us\":")
                    .append(samples[t].toJson()).append(",\"added_us\":").append(added[t].toJson())
                    .append(",\"errors\":").append(errors[t]).append('}');
            targets[t].close();
        }
        System.out.println(json.append("}}"));
    }

    /** Nanoseconds the threads have waited on a run queue while runnable, summed (schedstat's second field). */
    private static long runQueueWait(List<Path> schedstats) throws IOException {
        long sum = 0;
        for (Path p : schedstats) {
            String[] fields = Files.readString(p, StandardCharsets.US_ASCII).trim().split(" ");
            sum += Long.parseLong(fields[1]);
        }
        return sum;
    }

    /** One keep-alive connection to one target; reconnects after an error or a {@code Connection: close}. */
    private static final class Target {
        private final URI url;
        private final byte[] request;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        /** When the last {@link #exchange} wrote its first byte ({@link System#nanoTime()}). */
        long lastStart;

        Target(URI url, byte[] body, List<String> extraHeaders) {
            if (!"127.0.0.1".equals(url.getHost()) || url.getPort() <= 0) {
                throw new IllegalArgumentException("targets must be http://127.0.0.1:PORT/...: " + url);
            }
            this.url = url;
            StringBuilder head = new StringBuilder("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
                    .append("host: 127.0.0.1:").append(url.getPort()).append("\r\n")
                    .append("content-type: application/json\r\nanthropic-version: 2023-06-01\r\n")
                    .append("content-length: ").append(body.length).append("\r\n");
            for (String h : extraHeaders) {
                head.append(h.trim()).append("\r\n");
            }
            byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            request = new byte[headBytes.length + body.length];
            System.arraycopy(headBytes, 0, request, 0, headBytes.length);
            System.arraycopy(body, 0, request, headBytes.length, body.length);
        }

        /** One request and its whole answer: nanoseconds, or -1 when it failed (not a 200, or an I/O error). */
        long exchange() {
            try {
                if (socket == null) {
                    socket = new Socket();
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 10_000);
                    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                    out = socket.getOutputStream();
                }
                long start = System.nanoTime();
                lastStart = start;
                out.write(request);
                out.flush();
                int status = readAnswer();
                long nanos = System.nanoTime() - start;
                return status == 200 ? nanos : -1;
            } catch (IOException e) {
                close();
                return -1;
            }
        }

        private int readAnswer() throws IOException {
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line().split(";", 2)[0].trim(), 16); size > 0;
                        size = Long.parseLong(line().split(";", 2)[0].trim(), 16)) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are read and ignored
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("an answer without a length on a keep-alive connection");
            }
            if (close) {
                close();
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        private void skip(long bytes) throws IOException {
            while (bytes > 0) {
                long skipped = in.skip(bytes);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed mid-body");
                    }
                    skipped = 1;
                }
                bytes -= skipped;
            }
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing a broken connection
            }
            socket = null;
        }
    }
}
