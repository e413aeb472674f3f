package io.claudelb.codec.sse;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.codec.sse.StreamPeek.Verdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamPeekTest {
    private static final String MESSAGE_START = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":"
            + "{\"id\":\"msg_1\",\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}\n\n";
    private static final String PING = "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    private static final String OVERLOADED = "event: error\ndata: {\"type\":\"error\",\"error\":"
            + "{\"details\":null,\"type\":\"overloaded_error\",\"message\":\"Overloaded \\\"now\\\"\"}}\n\n";

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n"})
    void commitsAtTheFirstRealEventWhateverTheChunking(String ending) {
        byte[] stream = SseFixtures.withLineEndings(SseFixtures.STREAM, ending).getBytes(StandardCharsets.UTF_8);
        String text = new String(stream, StandardCharsets.UTF_8);
        // The decision point: the first byte of the blank line's ending (a lone CR already ends a line) that ends
        // the first content_block_start.
        int blockStart = text.indexOf("event: content_block_start");
        int decidedAt = text.substring(0, text.indexOf(ending + ending, blockStart) + ending.length() + 1)
                .getBytes(StandardCharsets.UTF_8).length;
        for (int split = 0; split <= stream.length; split++) {
            StreamPeek peek = new StreamPeek();
            Verdict first = feed(peek, Arrays.copyOfRange(stream, 0, split));
            assertThat(first).as("split %d", split)
                    .isEqualTo(split >= decidedAt ? Verdict.COMMIT : Verdict.UNDECIDED);
            assertThat(feed(peek, Arrays.copyOfRange(stream, split, stream.length))).isEqualTo(Verdict.COMMIT);
            assertThat(peek.messageStartSeen()).isTrue();
            assertThat(peek.bytesSeen()).isEqualTo(stream.length);
            assertThat(peek.errorType()).isNull();
        }
    }

    @Test
    void pingAndMessageStartKeepItUndecided() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, MESSAGE_START + PING + PING)).isEqualTo(Verdict.UNDECIDED);
        assertThat(peek.messageStartSeen()).isTrue();
        assertThat(feed(peek, "event: content_block_start\ndata: {}\n")).isEqualTo(Verdict.UNDECIDED);
        assertThat(feed(peek, "\n")).isEqualTo(Verdict.COMMIT);
    }

    @Test
    void anErrorBeforeTheFirstRealEventFailsOver() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, MESSAGE_START + PING + OVERLOADED)).isEqualTo(Verdict.ERROR);
        assertThat(peek.errorType()).isEqualTo("overloaded_error");
        assertThat(peek.errorMessage()).isEqualTo("Overloaded \"now\"");
        // Decided: later bytes are counted but change nothing, not even the end.
        assertThat(feed(peek, "event: content_block_start\ndata: {}\n\n")).isEqualTo(Verdict.ERROR);
        assertThat(peek.onEnd()).isEqualTo(Verdict.ERROR);
        assertThat(peek.bytesSeen()).isEqualTo((MESSAGE_START + PING + OVERLOADED).length()
                + "event: content_block_start\ndata: {}\n\n".length());
    }

    @Test
    void anErrorAsTheVeryFirstEventFailsOver() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, OVERLOADED)).isEqualTo(Verdict.ERROR);
        assertThat(peek.messageStartSeen()).isFalse();
        assertThat(peek.errorType()).isEqualTo("overloaded_error");
    }

    @Test
    void aBareDataErrorWithoutAnEventLineFailsOver() {
        StreamPeek peek = new StreamPeek();
        String bare = "data: {\"type\": \"error\", \"error\": {\"message\": \"Request failed\"}}\n\n";
        assertThat(feed(peek, bare)).isEqualTo(Verdict.ERROR);
        assertThat(peek.errorType()).isEqualTo("api_error");
        assertThat(peek.errorMessage()).isEqualTo("Request failed");
    }

    @Test
    void anUnreadableErrorStillFailsOverWithTheGenericType() {
        StreamPeek peek = new StreamPeek(32);
        assertThat(feed(peek, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}\n\n"))
                .isEqualTo(Verdict.ERROR);
        assertThat(peek.errorType()).isEqualTo("api_error");
        assertThat(peek.errorMessage()).isEmpty();
    }

    @Test
    void anErrorAfterTheCommitIsNotThePeeksBusiness() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, MESSAGE_START + "event: content_block_start\ndata: {}\n\n" + OVERLOADED))
                .isEqualTo(Verdict.COMMIT);
        assertThat(peek.errorType()).isNull();
    }

    @Test
    void unnamedNonErrorDataCommits() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, "data: {\"id\":\"chatcmpl-1\",\"choices\":[]}\n\n")).isEqualTo(Verdict.COMMIT);
        StreamPeek unnamedPing = new StreamPeek();
        assertThat(feed(unnamedPing, "data: {\"type\":\"ping\"}\n\n")).isEqualTo(Verdict.UNDECIDED);
    }

    @Test
    void aStreamThatEndsUndecidedCommits() {
        StreamPeek peek = new StreamPeek();
        assertThat(feed(peek, MESSAGE_START)).isEqualTo(Verdict.UNDECIDED);
        assertThat(peek.onEnd()).isEqualTo(Verdict.COMMIT);
        assertThat(peek.verdict()).isEqualTo(Verdict.COMMIT);
        assertThat(new StreamPeek().onEnd()).isEqualTo(Verdict.COMMIT);
    }

    private static Verdict feed(StreamPeek peek, String text) {
        return feed(peek, text.getBytes(StandardCharsets.UTF_8));
    }

    private static Verdict feed(StreamPeek peek, byte[] bytes) {
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
        try {
            Verdict verdict = peek.feed(chunk);
            assertThat(chunk.readerIndex()).isZero();
            return verdict;
        } finally {
            chunk.release();
        }
    }
}
