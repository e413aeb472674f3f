package io.claudelb.server.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.claudelb.server.support.CapturedLog;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.NotSslRecordException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What reaches the end of the client pipeline is logged in one line, with a stack trace only for a defect. */
class TailHandlerTest {

    @Test
    void aClientGoingAwayInTheMiddleOfABodyIsOneDebugLine() {
        try (CapturedLog log = new CapturedLog(Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                    new TailHandler(log.logger()));
            ch.writeInbound(Unpooled.copiedBuffer("POST /v1/messages HTTP/1.1\r\nhost: x\r\ncontent-length: 1000\r\n"
                    + "\r\n{\"model\":", StandardCharsets.US_ASCII));

            ch.close();

            assertThat(log.at(Level.WARN)).isEmpty();
            assertThat(log.at(Level.DEBUG)).singleElement().satisfies(line -> {
                assertThat(line.getFormattedMessage()).contains("Channel closed while still aggregating message");
                assertThat(line.getThrowableProxy()).isNull();
            });
        }
    }

    @Test
    void resetsAndTlsFailuresAreTheClientsDoing() {
        assertThat(TailHandler.isClientsDoing(new IOException("Connection reset by peer"))).isTrue();
        assertThat(TailHandler.isClientsDoing(new NotSslRecordException("not an SSL/TLS record"))).isTrue();
        assertThat(TailHandler.isClientsDoing(new DecoderException(new NotSslRecordException("plain text"))))
                .isTrue();
        assertThat(TailHandler.isClientsDoing(new IllegalStateException("a bug"))).isFalse();
        assertThat(TailHandler.isClientsDoing(new DecoderException(new IllegalStateException("a bug")))).isFalse();
    }

    @Test
    void aDefectIsAWarningWithItsStackTrace() {
        try (CapturedLog log = new CapturedLog(Level.DEBUG)) {
            EmbeddedChannel ch = new EmbeddedChannel(new TailHandler(log.logger()));

            ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));

            assertThat(log.at(Level.WARN)).singleElement()
                    .satisfies(line -> assertThat(line.getThrowableProxy()).isNotNull());
            assertThat(ch.isOpen()).isFalse();
        }
    }
}
