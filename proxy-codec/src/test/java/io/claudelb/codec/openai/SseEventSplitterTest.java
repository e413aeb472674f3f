package io.claudelb.codec.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseEventSplitterTest {
    private final List<String> events = new ArrayList<>();
    private final SseEventSplitter.Listener listener = (name, data, length) ->
            events.add(name + "|" + new String(data, 0, length, StandardCharsets.UTF_8));

    private void feed(SseEventSplitter splitter, String text) {
        ByteBuf in = Buffers.utf8(text);
        try {
            splitter.feed(in, listener);
        } finally {
            in.release();
        }
    }

    @Test
    void allLineEndingsCommentsEventNamesAndMultiLineData() {
        SseEventSplitter splitter = new SseEventSplitter(1024);
        feed(splitter, ": comment\n\ndata: a\r\n\r\nevent: error\rdata:b\rdata:  c\r\rid: 7\nretry: 1\ndata\n\n");
        assertThat(events).containsExactly("null|a", "error|b\n c", "null|");
    }

    @Test
    void crLfSplitAcrossBuffersCountsOnce() {
        SseEventSplitter splitter = new SseEventSplitter(1024);
        feed(splitter, "data: x\r");
        feed(splitter, "\n\r");
        feed(splitter, "\ndata: y\r\n");
        assertThat(events).containsExactly("null|x");
        feed(splitter, "\r\n");
        assertThat(events).containsExactly("null|x", "null|y");
    }

    @Test
    void blankLinesWithoutDataDispatchNothingAndFinishFlushesTheRest() {
        SseEventSplitter splitter = new SseEventSplitter(1024);
        feed(splitter, "\n\n\nevent: ignored\n\ndata: [DONE]");
        assertThat(events).isEmpty();
        splitter.finish(listener);
        assertThat(events).containsExactly("null|[DONE]");
    }

    @Test
    void oneEventLargerThanTheBoundIsRejectedEvenAcrossBuffers() {
        SseEventSplitter splitter = new SseEventSplitter(32);
        feed(splitter, "data: 0123456789\n");
        assertThatThrownBy(() -> feed(splitter, "data: 0123456789abcdef"))
                .isInstanceOf(TranslationException.class).hasMessageContaining("larger than 32 bytes");
    }

    @Test
    void theBoundIsPerEvent() {
        SseEventSplitter splitter = new SseEventSplitter(32);
        for (int i = 0; i < 100; i++) {
            feed(splitter, "data: 0123456789012345\n\n");
        }
        assertThat(events).hasSize(100);
    }
}
