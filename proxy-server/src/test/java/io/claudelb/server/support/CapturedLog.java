package io.claudelb.server.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;

/**
 * A logger of its own logback context whose lines a test reads back (tests only). Its own context, not the JVM-wide
 * one, because other tests of the same fork reconfigure that one while this test runs.
 */
public final class CapturedLog implements AutoCloseable {
    private final LoggerContext context = new LoggerContext();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger;

    /** Captures every line of {@code level} and above. */
    public CapturedLog(Level level) {
        this("captured", level);
    }

    /** Captures every line of {@code level} and above logged to the logger {@code name} of this context. */
    public CapturedLog(String name, Level level) {
        logger = context.getLogger(name);
        logger.setLevel(level);
        lines.setContext(context);
        lines.start();
        logger.addAppender(lines);
    }

    public Logger logger() {
        return logger;
    }

    /** The lines logged so far at {@code level}. */
    public List<ILoggingEvent> at(Level level) {
        return lines.list.stream().filter(e -> e.getLevel() == level).toList();
    }

    @Override
    public void close() {
        context.stop();
    }
}
