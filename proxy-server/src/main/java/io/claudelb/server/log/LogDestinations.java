package io.claudelb.server.log;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.claudelb.core.config.LogFormat;
import io.claudelb.core.config.LoggingSettings;
import net.logstash.logback.encoder.LogstashEncoder;

/**
 * The one appender {@code logging:} asks for, unstarted ({@link LoggingSetup} puts it behind the async appender and
 * starts it): standard output or a file rolled daily and by size, written as text or as JSON lines.
 */
final class LogDestinations {
    /** Standard output: the journal adds the date. */
    private static final String CONSOLE_PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    private static final String FILE_PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";
    /** Logstash's name for "leave this field out". */
    private static final String OMIT = "[ignore]";

    private LogDestinations() {
    }

    static OutputStreamAppender<ILoggingEvent> appender(LoggerContext context, LoggingSettings settings) {
        Encoder<ILoggingEvent> encoder = settings.format() == LogFormat.JSON ? json(context)
                : text(context, settings.file() == null ? CONSOLE_PATTERN : FILE_PATTERN);
        if (settings.file() == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(context);
            console.setName("STDOUT");
            console.setEncoder(encoder);
            return console;
        }
        RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
        file.setContext(context);
        file.setName("FILE");
        file.setFile(settings.file());
        file.setAppend(true);
        file.setEncoder(encoder);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(new OneCleanupAtATime(context));
        policy.setParent(file);
        policy.setFileNamePattern(rolledName(settings.file()));
        policy.setMaxFileSize(new FileSize(settings.maxFileBytes()));
        policy.setMaxHistory(settings.maxHistory());
        policy.setTotalSizeCap(new FileSize(settings.totalCap()));
        policy.start();
        file.setRollingPolicy(policy);
        return file;
    }

    /** {@code /var/log/claude-lb/claude-lb.log} rolls to {@code claude-lb.2026-12-03.0.log}, {@code .1.log}, ... */
    static String rolledName(String file) {
        int slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
        int dot = file.lastIndexOf('.');
        if (dot <= slash + 1) {
            return file + ".%d{yyyy-MM-dd}.%i";
        }
        return file.substring(0, dot) + ".%d{yyyy-MM-dd}.%i" + file.substring(dot);
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /**
     * One JSON object per line: {@code @timestamp}, {@code level}, {@code logger_name}, {@code thread_name},
     * {@code message}, a {@code stack_trace} when there is one, and each key-value pair of the event (the access
     * log's fields) as a top-level member with its own JSON type.
     */
    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setIncludeKeyValuePairs(true);
        encoder.setIncludeMdc(false);
        encoder.getFieldNames().setVersion(OMIT);
        encoder.getFieldNames().setLevelValue(OMIT);
        encoder.start();
        return encoder;
    }
}
