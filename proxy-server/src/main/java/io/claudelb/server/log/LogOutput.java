package io.claudelb.server.log;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;

/**
 * The running log output {@link LoggingSetup} installed: the async appender in front of the destination, its count
 * of dropped lines, and the daemon thread that reports drops once a minute. {@link #close()} writes what is still
 * queued (bounded by the appender's shutdown grace) and stops both.
 */
public final class LogOutput implements AutoCloseable {
    /** How often dropped lines are reported. */
    static final long REPORT_EVERY_SECONDS = 60;

    private final LoggingEventAsyncDisruptorAppender async;
    private final DroppedLines dropped;
    private final ScheduledExecutorService reporter;
    private final AtomicBoolean closed = new AtomicBoolean();

    LogOutput(LoggingEventAsyncDisruptorAppender async, DroppedLines dropped) {
        this.async = async;
        this.dropped = dropped;
        this.reporter = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "claude-lb-log-drops");
            t.setDaemon(true);
            return t;
        });
        reporter.scheduleWithFixedDelay(dropped::report, REPORT_EVERY_SECONDS, REPORT_EVERY_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Lines dropped since start because the queue was full: a counter for metrics. */
    public long droppedLines() {
        return dropped.count();
    }

    DroppedLines dropped() {
        return dropped;
    }

    /** The appender every logger writes to (for tests that attach more listeners). */
    LoggingEventAsyncDisruptorAppender appender() {
        return async;
    }

    /** Idempotent: the exit path and the shutdown hook may both call it. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        reporter.shutdownNow();
        dropped.report();
        async.stop();
    }
}
