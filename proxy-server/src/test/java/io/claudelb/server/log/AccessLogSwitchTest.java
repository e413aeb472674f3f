package io.claudelb.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.claudelb.server.support.CapturedLog;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@code logging.access_log} is asked per request (ProxyServer passes the current snapshot's value), so a reload
 * turns the access log off and on again without a restart.
 */
class AccessLogSwitchTest {

    @Test
    void theSwitchIsReadForEveryRequest() {
        CapturedLog log = new CapturedLog(AccessLog.LOGGER, Level.INFO);
        AtomicBoolean enabled = new AtomicBoolean(true);
        AccessLog access = new AccessLog(enabled::get, log.logger());

        access.exchangeEnded(LoggingSetupTest.relayedEvent());
        enabled.set(false);
        access.exchangeEnded(LoggingSetupTest.relayedEvent());
        enabled.set(true);
        access.exchangeEnded(LoggingSetupTest.relayedEvent());

        assertThat(log.at(Level.INFO)).hasSize(2);
        log.close();
    }
}
