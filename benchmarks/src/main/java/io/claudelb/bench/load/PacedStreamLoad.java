package io.claudelb.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The load harness's many-streams client ({@code benchmarks/run-load.sh}, scenario c): opens N keep-alive
 * connections to a 127.0.0.1 URL over a ramp, keeps a streaming request in flight on each until the deadline, and
 * reports as one JSON line on stdout: streams completed (per second in the hold window), time to first byte and to
 * the first content event, inter-event gaps, lost or extra events against the expected count, stalls (a gap over
 * the stall threshold), connect/status errors, streams closed mid-way, timeouts, and the peak and lowest number of
 * streams in flight during the hold. The hold window (the {@code --duration-s}) opens once all N connections stream
 * at the same time, or {@code --reach-timeout-s} after the ramp if they never do (then
 * {@code all_streaming_after_s} is -1); lines {@code HOLD N} and {@code HOLD_END N} on stdout mark its start and
 * end. Progress goes to stderr
 * once a second.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.claudelb.bench.load.PacedStreamLoad --url http://127.0.0.1:P/v1/messages
 * --body FILE --connections N --ramp-s R --duration-s D --expect-events E [--pace-ms MS] [--stall-ms MS]
 * [--threads T] [--reach-timeout-s S] [--drain-s S] [--idle-timeout-s S] [--header name:value]...}. {@code --pace-ms} is sent as {@code x-mock-pace-ms}.
 */
public final class PacedStreamLoad {
    private PacedStreamLoad() {
    }

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        PrintStream err = System.err;
        URI url = URI.create(o.url);
        if (!"127.0.0.1".equals(url.getHost()) || url.getPort() <= 0) {
            throw new IllegalArgumentException("--url must be http://127.0.0.1:PORT/...: " + o.url);
        }
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(Files.readAllBytes(Path.of(o.body))));
        HttpHeaders headers = new DefaultHttpHeaders();
        headers.set(HttpHeaderNames.HOST, url.getHost() + ":" + url.getPort());
        headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        headers.set("anthropic-version", "2023-06-01");
        if (o.paceMs > 0) {
            headers.set("x-mock-pace-ms", o.paceMs);
        }
        for (String h : o.headers) {
            int colon = h.indexOf(':');
            headers.add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }

        long start = System.nanoTime();
        long rampNanos = TimeUnit.MILLISECONDS.toNanos((long) (o.rampSeconds * 1000));
        long stallNanos = TimeUnit.MILLISECONDS.toNanos(o.stallMs > 0 ? o.stallMs : Math.max(10L * o.paceMs, 100));
        LoadRun run = new LoadRun(url.getRawPath(), body, headers, o.expectEvents, stallNanos, o.connections);

        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(o.threads, io);
        int[] connectErrors = new int[1];
        int idleSeconds = o.idleTimeoutSeconds;
        try {
            Bootstrap bootstrap = new Bootstrap().group(group)
                    .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    // Long enough for SYN retransmits when a busy server's accept queue overflows.
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            run.connections().add(ch);
                            ch.pipeline().addLast(new IdleStateHandler(idleSeconds, 0, 0),
                                    new HttpClientCodec(), new StreamConnection(run));
                        }
                    }).remoteAddress(url.getHost(), url.getPort());

            // Ramp: open the connections evenly over the ramp, in 10 ms batches.
            int opened = 0;
            while (opened < o.connections) {
                long elapsed = System.nanoTime() - start;
                int due = rampNanos == 0 ? o.connections
                        : (int) Math.min(o.connections, (double) o.connections * elapsed / rampNanos + 1);
                for (; opened < due; opened++) {
                    ChannelFuture f = bootstrap.connect();
                    f.addListener(done -> {
                        if (!done.isSuccess()) {
                            synchronized (connectErrors) {
                                connectErrors[0]++;
                            }
                            run.connectionClosed();
                        }
                    });
                }
                Thread.sleep(10);
            }

            // The hold window opens once every connection streams (or when waiting for that gives up).
            long giveUp = start + rampNanos + TimeUnit.SECONDS.toNanos(o.reachTimeoutSeconds);
            long nextProgress = System.nanoTime();
            while (run.inFlight() < o.connections && System.nanoTime() < giveUp) {
                nextProgress = progress(err, start, run, nextProgress);
                Thread.sleep(5);
            }
            long windowStart = System.nanoTime();
            double reachedAfter = run.inFlight() >= o.connections ? (windowStart - start) / 1e9 : -1;
            long deadline = windowStart + TimeUnit.SECONDS.toNanos(o.durationSeconds);
            run.openWindow(windowStart, deadline);
            // Tells a driving script the hold has begun (it samples the proxy's memory mid-hold).
            System.out.println("HOLD " + o.connections);
            System.out.flush();

            // Hold: sample the in-flight gauge until the deadline.
            int minInFlight = Integer.MAX_VALUE;
            int maxInFlightInWindow = 0;
            while (System.nanoTime() < deadline) {
                int now = run.inFlight();
                minInFlight = Math.min(minInFlight, now);
                maxInFlightInWindow = Math.max(maxInFlightInWindow, now);
                nextProgress = progress(err, start, run, nextProgress);
                Thread.sleep(20);
            }
            // Tells a driving script the hold is over while every stream is still connected: the place for
            // measurements that would disturb the hold itself (a forced full GC in the proxy).
            System.out.println("HOLD_END " + o.connections);
            System.out.flush();
            // Streams in flight at the deadline may finish (no new ones start) for up to --drain-s; the client then
            // closes what is left, and those streams count as cut at the end, not as lost.
            if (!run.closedLatch().await(o.drainSeconds, TimeUnit.SECONDS)) {
                run.stop();
                run.connections().close();
                run.closedLatch().await(10, TimeUnit.SECONDS);
            }
            int stillOpen = (int) run.closedLatch().getCount();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            LoopStats s = run.merged();
            synchronized (connectErrors) {
                s.connectErrors = connectErrors[0];
            }
            System.out.println(report(o, s, run, minInFlight == Integer.MAX_VALUE ? 0 : minInFlight,
                    maxInFlightInWindow, stillOpen, reachedAfter));
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
    }

    private static long progress(PrintStream err, long start, LoadRun run, long nextProgress) {
        long now = System.nanoTime();
        if (now < nextProgress) {
            return nextProgress;
        }
        err.printf(Locale.ROOT, "t=%.0fs in-flight=%d%n", (now - start) / 1e9, run.inFlight());
        return nextProgress + TimeUnit.SECONDS.toNanos(1);
    }

    private static String report(Options o, LoopStats s, LoadRun run, int minInFlight, int maxInFlight,
            int stillOpen, double reachedAfter) {
        return "{\"connections\":" + o.connections + ",\"duration_s\":" + o.durationSeconds
                + ",\"all_streaming_after_s\":" + String.format(Locale.ROOT, "%.2f", reachedAfter)
                + ",\"pace_ms\":" + o.paceMs + ",\"expected_events\":" + o.expectEvents
                + ",\"streams_completed\":" + s.streamsCompleted
                + ",\"streams_per_s\":" + String.format(Locale.ROOT, "%.1f", (double) s.streamsInWindow
                        / o.durationSeconds)
                + ",\"events\":" + s.events + ",\"lost_events\":" + s.lostEvents + ",\"extra_events\":"
                + s.extraEvents + ",\"stalls\":" + s.stalls + ",\"connect_errors\":" + s.connectErrors
                + ",\"status_errors\":" + s.statusErrors + ",\"closed_mid_stream\":" + s.closedMidStream
                + ",\"timeouts\":" + s.timeouts + ",\"cut_at_end\":" + s.cutAtEnd
                + ",\"unfinished_connections\":" + stillOpen
                + ",\"peak_in_flight\":" + run.peakInFlight() + ",\"hold_min_in_flight\":" + minInFlight
                + ",\"hold_max_in_flight\":" + maxInFlight
                + ",\"ttfb_us\":" + s.firstByteMicros.toJson()
                + ",\"first_content_event_us\":" + s.firstContentEventMicros.toJson()
                + ",\"gap_us\":" + s.gapMicros.toJson() + ",\"stream_ms\":" + s.streamMillis.toJson() + "}";
    }

    /** Command-line options. */
    private static final class Options {
        String url;
        String body;
        int connections = 64;
        double rampSeconds = 1;
        int durationSeconds = 10;
        int expectEvents;
        long paceMs;
        long stallMs;
        int threads = 2;
        int drainSeconds = 30;
        int idleTimeoutSeconds = 30;
        int reachTimeoutSeconds = 20;
        final List<String> headers = new ArrayList<>();

        static Options parse(String[] args) throws IOException {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value for " + a);
                }
                String v = args[++i];
                switch (a) {
                    case "--url" -> o.url = v;
                    case "--body" -> o.body = v;
                    case "--connections" -> o.connections = Integer.parseInt(v);
                    case "--ramp-s" -> o.rampSeconds = Double.parseDouble(v);
                    case "--duration-s" -> o.durationSeconds = Integer.parseInt(v);
                    case "--expect-events" -> o.expectEvents = Integer.parseInt(v);
                    case "--pace-ms" -> o.paceMs = Long.parseLong(v);
                    case "--stall-ms" -> o.stallMs = Long.parseLong(v);
                    case "--threads" -> o.threads = Integer.parseInt(v);
                    case "--drain-s" -> o.drainSeconds = Integer.parseInt(v);
                    case "--idle-timeout-s" -> o.idleTimeoutSeconds = Integer.parseInt(v);
                    case "--reach-timeout-s" -> o.reachTimeoutSeconds = Integer.parseInt(v);
                    case "--header" -> o.headers.add(v);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.url == null || o.body == null || o.expectEvents <= 0) {
                throw new IllegalArgumentException("--url, --body and --expect-events are required");
            }
            if (!Files.isReadable(Path.of(o.body))) {
                throw new IOException("body file not readable: " + o.body);
            }
            return o;
        }
    }
}
