package io.claudelb.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.claudelb.server.support.CapturedLog;
import io.claudelb.server.support.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ThrottledWarningTest {
    private final FakeClock clock = new FakeClock();

    @Test
    void oneWarningAnIntervalSayingHowManyWereHeldBack() {
        try (CapturedLog log = new CapturedLog(Level.DEBUG)) {
            ThrottledWarning warning = new ThrottledWarning(log.logger(), Duration.ofMinutes(1), clock);

            warning.warn("refusing {}", "a");
            warning.warn("refusing {}", "b");
            clock.advance(Duration.ofSeconds(59));
            warning.warn("refusing {}", "c");
            assertThat(log.at(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("refusing a");
            assertThat(log.at(Level.DEBUG)).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("refusing b", "refusing c");

            clock.advance(Duration.ofSeconds(1));
            warning.warn("refusing {}", "d");
            warning.warn("refusing {}", "e");
            assertThat(log.at(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                    "refusing a", "refusing d (2 more like it since the previous warning, logged at DEBUG)");
            assertThat(log.at(Level.DEBUG)).hasSize(3);
        }
    }

    @Test
    void aQuietIntervalStartsAfreshWithoutACount() {
        try (CapturedLog log = new CapturedLog(Level.DEBUG)) {
            ThrottledWarning warning = new ThrottledWarning(log.logger(), Duration.ofMinutes(1), clock);

            warning.warn("refusing {}", "a");
            clock.advance(Duration.ofMinutes(5));
            warning.warn("refusing {}", "b");

            assertThat(log.at(Level.WARN)).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("refusing a", "refusing b");
        }
    }
}
