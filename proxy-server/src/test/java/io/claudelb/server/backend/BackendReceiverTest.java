package io.claudelb.server.backend;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The receiver hands everything to its attached user, and closes a connection nobody uses that hears anything. */
class BackendReceiverTest {
    private final BackendReceiver receiver = new BackendReceiver();
    private final EmbeddedChannel ch = new EmbeddedChannel(receiver);
    private final List<String> heard = new ArrayList<>();

    private final BackendReceiver.Listener listener = new BackendReceiver.Listener() {
        @Override
        public void onRead(Object msg) {
            heard.add("read " + msg);
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void onReadComplete() {
            heard.add("complete");
        }

        @Override
        public void onClosed(Throwable cause) {
            heard.add("closed " + (cause == null ? "cleanly" : cause.getMessage()));
        }
    };

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    @Test
    void anAttachedUserHearsReadsBatchesAndTheEnd() {
        receiver.attach(listener);
        ch.writeInbound("a", "b");
        ch.close();
        assertThat(heard).containsExactly("read a", "read b", "complete", "closed cleanly");
    }

    @Test
    void anErrorIsToldToTheUserAndClosesTheConnection() {
        receiver.attach(listener);
        ch.pipeline().fireExceptionCaught(new IOException("connection reset"));
        assertThat(heard).containsExactly("closed connection reset", "closed cleanly");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void dataNobodyAskedForIsReleasedAndClosesTheConnection() {
        var stray = Unpooled.copiedBuffer(new byte[] {1, 2, 3});
        ch.writeInbound(stray);
        assertThat(stray.refCnt()).isZero();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void afterDetachingTheFormerUserHearsNothing() {
        receiver.attach(listener);
        receiver.detach();
        ch.pipeline().fireExceptionCaught(new IOException("late"));
        assertThat(heard).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }
}
