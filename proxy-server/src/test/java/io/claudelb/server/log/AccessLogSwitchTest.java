package io.claudelb.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code logging.access_log} is asked per request (ProxyServer passes the current snapshot's value), so a reload
 * turns the access log off and on again without a restart.
 */
class AccessLogSwitchTest {

    @Test
    void theSwitchIsReadForEveryRequest() {
        LoggerContext context = new LoggerContext();
        Logger logger = context.getLogger(AccessLog.LOGGER);
        logger.setLevel(Level.INFO);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.setContext(context);
        lines.start();
        logger.addAppender(lines);
        AtomicBoolean enabled = new AtomicBoolean(true);
        AccessLog access = new AccessLog(enabled::get, logger);

        access.exchangeEnded(LoggingSetupTest.relayedEvent());
        enabled.set(false);
        access.exchangeEnded(LoggingSetupTest.relayedEvent());
        enabled.set(true);
        access.exchangeEnded(LoggingSetupTest.relayedEvent());

        assertThat(lines.list).hasSize(2);
        context.stop();
    }
}
