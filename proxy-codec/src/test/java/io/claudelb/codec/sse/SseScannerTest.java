package io.claudelb.codec.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.codec.json.TestBuffers;
import io.claudelb.codec.json.TestBuffers.Kind;
import io.claudelb.codec.sse.SseFixtures.Event;
import io.claudelb.codec.sse.SseFixtures.Recorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SseScannerTest {
    private static final int MAX = 64 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void everySplitPointGivesTheSameEvents(String ending) {
        byte[] stream = SseFixtures.withLineEndings(SseFixtures.STREAM, ending).getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= stream.length; split++) {
            Recorder recorder = new Recorder();
            SseScanner scanner = new SseScanner(recorder, MAX);
            feed(scanner, Arrays.copyOfRange(stream, 0, split));
            feed(scanner, Arrays.copyOfRange(stream, split, stream.length));
            assertThat(recorder.events).as("split at %d", split).isEqualTo(SseFixtures.EXPECTED);
            assertThat(scanner.eventsSeen()).isEqualTo(SseFixtures.EXPECTED.size());
            assertThat(scanner.bytesScanned()).isEqualTo(stream.length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\r"})
    void byteByByteAndRandomChunksGiveTheSameEvents(String ending) {
        byte[] stream = SseFixtures.withLineEndings(SseFixtures.STREAM, ending).getBytes(StandardCharsets.UTF_8);
        Recorder oneByOne = new Recorder();
        SseScanner scanner = new SseScanner(oneByOne, MAX);
        for (byte b : stream) {
            feed(scanner, new byte[] {b});
        }
        assertThat(oneByOne.events).isEqualTo(SseFixtures.EXPECTED);

        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Recorder recorder = new Recorder();
            SseScanner chunked = new SseScanner(recorder, MAX);
            int i = 0;
            while (i < stream.length) {
                int n = Math.min(stream.length - i, 1 + random.nextInt(40));
                feed(chunked, Arrays.copyOfRange(stream, i, i + n));
                i += n;
            }
            assertThat(recorder.events).as("round %d", round).isEqualTo(SseFixtures.EXPECTED);
        }
    }

    @Test
    void mixedLineEndingsInOneStream() {
        String stream = "event: a\r\ndata: 1\r\r" + "event: b\rdata: 2\n\r\n" + "data: 3\r\ndata: 4\n\n";
        assertThat(scanAll(stream)).containsExactly(new Event("a", "1"), new Event("b", "2"),
                new Event(null, "3\n4"));
    }

    @Test
    void aCrLfSplitAcrossChunksEndsOneLineOnly() {
        Recorder recorder = new Recorder();
        SseScanner scanner = new SseScanner(recorder, MAX);
        feed(scanner, "data: x\r");
        feed(scanner, "\ndata: y\r");
        feed(scanner, "\n\r");
        feed(scanner, "\n");
        assertThat(recorder.events).containsExactly(new Event(null, "x\ny"));
    }

    @Test
    void dataIsDecodedOnlyWhenWanted() {
        byte[] stream = SseFixtures.STREAM.getBytes(StandardCharsets.UTF_8);
        Recorder recorder = new Recorder(name -> "message_delta".equals(name));
        SseScanner scanner = new SseScanner(recorder, MAX);
        feed(scanner, stream);
        List<Event> expected = new ArrayList<>();
        for (Event e : SseFixtures.EXPECTED) {
            expected.add(new Event(e.name(), "message_delta".equals(e.name()) ? e.data() : null));
        }
        assertThat(recorder.events).isEqualTo(expected);
        // Asked once per dispatched event, with the name known when its first data line began.
        assertThat(recorder.asked).hasSize(SseFixtures.EXPECTED.size());
    }

    @Test
    void anthropicEventNamesAreSharedConstants() {
        List<Event> events = scanAll("event: content_block_delta\ndata: {}\n\nevent: custom\ndata: {}\n\n");
        assertThat(events.get(0).name()).isSameAs("content_block_delta");
        assertThat(events.get(1).name()).isEqualTo("custom");
    }

    @Test
    void dataOverTheLimitIsDispatchedAsNull() {
        Recorder recorder = new Recorder();
        SseScanner scanner = new SseScanner(recorder, 10);
        // Exactly 10 bytes (with the join) passes; 11 does not, whether by a long line or by a join.
        feed(scanner, "data: 0123456789\n\ndata: 01234567890\n\ndata: 01234\ndata: 5678\n\n"
                + "data: 01234\ndata: 56789\n\nevent: after\ndata: ok\n\n");
        assertThat(recorder.events).containsExactly(new Event(null, "0123456789"), new Event(null, null),
                new Event(null, "01234\n5678"), new Event(null, null), new Event("after", "ok"));
        assertThat(scanner.oversizedEvents()).isEqualTo(2);
        assertThat(scanner.eventsSeen()).isEqualTo(5);
    }

    @Test
    void anOverlongEventNameIsCut() {
        String name = "n".repeat(SseScanner.MAX_EVENT_NAME_BYTES + 50);
        List<Event> events = scanAll("event: " + name + "\ndata: x\n\n");
        assertThat(events).containsExactly(new Event(name.substring(0, SseScanner.MAX_EVENT_NAME_BYTES), "x"));
    }

    @Test
    void theLastEventWinsAndTheNameResetsAfterDispatch() {
        assertThat(scanAll("event: a\nevent: b\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n"))
                .containsExactly(new Event("b", "1"), new Event(null, "2"), new Event(null, "3"));
    }

    @Test
    void anUnfinishedEventIsNotDispatched() {
        assertThat(scanAll("event: message_stop\ndata: {\"type\":\"message_stop\"}\n")).isEmpty();
    }

    @Test
    void leavesTheChunkAlone() {
        Recorder recorder = new Recorder();
        SseScanner scanner = new SseScanner(recorder, MAX);
        for (Kind kind : Kind.values()) {
            ByteBuf chunk = TestBuffers.of(kind, "event: ping\ndata: {}\n\n");
            try {
                int readerIndex = chunk.readerIndex();
                scanner.scan(chunk);
                assertThat(chunk.readerIndex()).isEqualTo(readerIndex);
                assertThat(chunk.refCnt()).isEqualTo(1);
            } finally {
                chunk.release();
            }
        }
        assertThat(recorder.events).hasSize(Kind.values().length).allMatch(e -> e.equals(new Event("ping", "{}")));
    }

    @Test
    void aDirectChunkLargerThanTheScratchBlockReadsAsOneStream() {
        StringBuilder stream = new StringBuilder();
        List<Event> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            String data = "{\"n\":" + i + ",\"text\":\"" + "x".repeat(150 + i) + "\"}";
            stream.append("event: content_block_delta\r\ndata: ").append(data).append("\r\n\r\n");
            expected.add(new Event("content_block_delta", data));
        }
        assertThat(stream.length()).as("spans several 8 KiB scratch blocks").isGreaterThan(3 * 8 * 1024);
        for (Kind kind : Kind.values()) {
            Recorder recorder = new Recorder();
            ByteBuf chunk = TestBuffers.of(kind, stream.toString());
            try {
                new SseScanner(recorder, MAX).scan(chunk);
            } finally {
                chunk.release();
            }
            assertThat(recorder.events).as(kind.name()).isEqualTo(expected);
        }
    }

    @Test
    void findsTheFirstLineEndAtEveryPositionOfAWord() {
        for (int length = 0; length <= 40; length++) {
            for (int at = 0; at <= length; at++) {
                for (byte end : new byte[] {'\n', '\r'}) {
                    byte[] buf = new byte[length + 3];
                    java.util.Arrays.fill(buf, (byte) 'a');
                    buf[1] = (byte) 0x8A; // high bytes and near-misses around the match must not be taken for it
                    if (length > 3) {
                        buf[3] = (byte) 0x0B;
                    }
                    if (at < length) {
                        buf[1 + at] = end;
                        buf[Math.min(buf.length - 1, 2 + at)] = '\n';
                    }
                    int expected = at < length ? 1 + at : 1 + length;
                    assertThat(SseScanner.lineEnd(buf, 1, 1 + length)).as("length %d at %d", length, at)
                            .isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void finishDispatchesAnEventTheStreamLeftOpenAndNothingMore() {
        for (String tail : new String[] {"data: [DONE]", "data: [DONE]\n", "data: [DONE]\r", "data: [DONE]\r\n"}) {
            Recorder recorder = new Recorder();
            SseScanner scanner = new SseScanner(recorder, MAX);
            feed(scanner, "\n\n\nevent: ignored\n\ndata: first\n\n" + tail);
            assertThat(recorder.events).as(tail).containsExactly(new Event(null, "first"));
            scanner.finish();
            assertThat(recorder.events).as(tail).containsExactly(new Event(null, "first"), new Event(null, "[DONE]"));
        }
        Recorder complete = new Recorder();
        SseScanner scanner = new SseScanner(complete, MAX);
        feed(scanner, "data: a\n\n");
        scanner.finish();
        assertThat(complete.events).containsExactly(new Event(null, "a"));
    }

    @Test
    void overflowingIsKnownBeforeTheEventEndsAndClearsAfterIt() {
        Recorder recorder = new Recorder();
        SseScanner scanner = new SseScanner(recorder, 16);
        feed(scanner, "data: 0123456789\n");
        assertThat(scanner.overflowing()).isFalse();
        feed(scanner, "data: 0123456789");
        assertThat(scanner.overflowing()).isTrue();
        feed(scanner, "\n\ndata: small\n\n");
        assertThat(scanner.overflowing()).isFalse();
        assertThat(recorder.events).containsExactly(new Event(null, null), new Event(null, "small"));
        assertThat(scanner.oversizedEvents()).isEqualTo(1);
    }

    @Test
    void refusesANonPositiveLimit() {
        assertThatThrownBy(() -> new SseScanner(new Recorder(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Event> scanAll(String stream) {
        Recorder recorder = new Recorder();
        feed(new SseScanner(recorder, MAX), stream);
        return recorder.events;
    }

    private static void feed(SseScanner scanner, String text) {
        feed(scanner, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void feed(SseScanner scanner, byte[] bytes) {
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
        try {
            scanner.scan(chunk);
        } finally {
            chunk.release();
        }
    }
}
