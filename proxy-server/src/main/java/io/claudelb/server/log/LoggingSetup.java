package io.claudelb.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.Duration;
import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.LoggingSettings;
import java.util.List;
import net.logstash.logback.appender.LoggingEventAsyncDisruptorAppender;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging:} to Logback at startup: the root level, and in place of the built-in console appender one
 * destination ({@link LogDestinations}: standard output or a rolled file, text or JSON lines) behind logstash's
 * ring-buffer async appender. Whoever logs (an event loop writing an access line) only puts the event in a bounded
 * queue of {@value #QUEUE_SIZE}; one thread encodes and writes. A full queue drops the line instead of waiting, and
 * {@link DroppedLines} counts it.
 *
 * <p>When the operator names a Logback file ({@code -Dlogback.configurationFile}), that file decides the appenders
 * and only the level is applied here.
 */
public final class LoggingSetup {
    /** Events the queue holds (a power of two, as the ring buffer requires). */
    static final int QUEUE_SIZE = 8192;

    private static volatile LogOutput current;

    private LoggingSetup() {
    }

    /**
     * Applies the settings to the process's logging; returns the output to close at exit, or null when Logback is
     * not the SLF4J binding or the operator's own Logback file is in charge.
     *
     * @throws ConfigException when the log file cannot be opened (the reason is in the message): exit code 2
     */
    public static LogOutput apply(LoggingSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return null;
        }
        if (System.getProperty("logback.configurationFile") != null) {
            root(context).setLevel(Level.toLevel(settings.level(), Level.INFO));
            return null;
        }
        LogOutput output = install(context, settings);
        current = output;
        return output;
    }

    /** Lines dropped since start because the log queue was full (0 before {@link #apply}): for metrics. */
    public static long droppedLines() {
        LogOutput output = current;
        return output == null ? 0 : output.droppedLines();
    }

    /** Replaces the root logger's appenders of {@code context} with the destination the settings name. */
    static LogOutput install(LoggerContext context, LoggingSettings settings) {
        return install(context, settings, QUEUE_SIZE);
    }

    static LogOutput install(LoggerContext context, LoggingSettings settings, int queueSize) {
        OutputStreamAppender<ILoggingEvent> destination = LogDestinations.appender(context, settings);
        destination.start();
        if (!destination.isStarted()) {
            throw new ConfigException(settings.file() == null ? "logging" : "logging.file",
                    "cannot write the log there" + lastError(context));
        }
        return install(context, Level.toLevel(settings.level(), Level.INFO), destination, queueSize);
    }

    /** Puts the started {@code destination} behind the async appender, as the root logger's only appender. */
    static LogOutput install(LoggerContext context, Level level, Appender<ILoggingEvent> destination,
                             int queueSize) {
        Logger root = root(context);
        root.setLevel(level);
        DroppedLines dropped = new DroppedLines(context.getLogger("claude-lb.log"));
        LoggingEventAsyncDisruptorAppender async = new LoggingEventAsyncDisruptorAppender();
        async.setContext(context);
        async.setName("ASYNC");
        async.setRingBufferSize(queueSize);
        // 0: a full queue drops the event at once (a positive timeout would make the caller wait and retry).
        async.setAppendTimeout(Duration.buildByMilliseconds(0));
        async.setThreadNameFormat("claude-lb-log");
        // Its own drop warnings go to Logback's status manager, which nobody reads: DroppedLines reports instead.
        async.setAddDefaultStatusListener(false);
        async.addListener(dropped);
        async.addAppender(destination);
        async.start();
        root.detachAndStopAllAppenders();
        root.addAppender(async);
        return new LogOutput(async, dropped);
    }

    private static Logger root(LoggerContext context) {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    private static String lastError(LoggerContext context) {
        List<Status> statuses = context.getStatusManager().getCopyOfStatusList();
        for (int i = statuses.size() - 1; i >= 0; i--) {
            Status s = statuses.get(i);
            if (s.getLevel() == Status.ERROR) {
                Throwable t = s.getThrowable();
                return ": " + (t != null && t.getMessage() != null ? t.getMessage() : s.getMessage());
            }
        }
        return "";
    }
}
