package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.claudelb.server.log.ThrottledWarning;
import io.claudelb.server.support.CapturedLog;
import io.claudelb.server.support.FakeClock;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConnectionLimitHandlerTest {

    @Test
    void aFloodOfRefusedConnectionsIsOneWarningAndADebugLineEach() {
        try (CapturedLog log = new CapturedLog(Level.DEBUG)) {
            ConnectionLimitHandler limit = new ConnectionLimitHandler(() -> 1,
                    new ThrottledWarning(log.logger(), Duration.ofMinutes(1), new FakeClock()));
            EmbeddedChannel admitted = new EmbeddedChannel(limit);
            List<EmbeddedChannel> refused = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                refused.add(new EmbeddedChannel(limit));
            }

            assertThat(admitted.isOpen()).isTrue();
            assertThat(refused).allSatisfy(ch -> assertThat(ch.isOpen()).isFalse());
            assertThat(limit.open()).isEqualTo(1);
            assertThat(log.at(Level.WARN)).singleElement().satisfies(line -> assertThat(line.getFormattedMessage())
                    .startsWith("conn-limit: 1 client connections open (server.max_connections), refusing"));
            assertThat(log.at(Level.DEBUG)).hasSize(49);
            admitted.finishAndReleaseAll();
        }
    }
}
