package io.claudelb.server.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import io.claudelb.core.config.LoggingSettings;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code logging:} to Logback at startup: the root level, and an optional JSON-lines file through Logback's
 * own {@link JsonEncoder} (one JSON object per event, key-value pairs such as the access log's fields included).
 */
public final class LoggingSetup {
    private LoggingSetup() {
    }

    public static void apply(LoggingSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return;
        }
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(settings.level(), Level.INFO));
        if (settings.jsonFile() != null && !settings.jsonFile().isBlank()) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            // One readable message plus the key-value pairs (the access log's fields); no template/argument split.
            encoder.setWithFormattedMessage(true);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.setWithContext(false);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.start();
            FileAppender<ILoggingEvent> file = new FileAppender<>();
            file.setContext(context);
            file.setName("JSON");
            file.setFile(settings.jsonFile());
            file.setAppend(true);
            file.setEncoder(encoder);
            file.start();
            root.addAppender(file);
        }
    }
}
