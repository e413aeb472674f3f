package io.claudelb.codec.message;

import static io.claudelb.codec.message.StreamFixtures.assemble;
import static io.claudelb.codec.message.StreamFixtures.assembleWhole;
import static io.claudelb.codec.message.StreamFixtures.body;
import static io.claudelb.codec.message.StreamFixtures.expected;
import static io.claudelb.codec.message.StreamFixtures.stream;
import static io.claudelb.codec.message.StreamFixtures.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.codec.message.AssemblyResult.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StreamAssemblerTest {
    private static final int CAP = 8 * 1024 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"web-search", "redacted-thinking", "document-citations", "unknown-kinds"})
    void assemblesTheMessageTheStreamStandsFor(String fixture) {
        assertThat(tree(assembleWhole(stream(fixture)))).isEqualTo(expected(fixture));
    }

    @Test
    void theSignatureIsTheStreamedBytesExactly() {
        String body = utf8(assembleWhole(stream("redacted-thinking")));
        // Escapes and all: the signature token is copied, not decoded and re-encoded.
        assertThat(body).contains("\"signature\":\"ErUBCkYIBRgCIkB/+kZ9tWqzL2F3ZmGhM0pYaWxlU2lnbmF0dXJl"
                + "LWJ5dGUtZm9yLWJ5dGU=\\u002f\\/x\"");
    }

    @Test
    void passedThroughValuesKeepTheirBytes() {
        String body = utf8(assembleWhole(stream("unknown-kinds")));
        assertThat(body).contains("\"payload\":{\"shape\":\"cube\",\"sides\":6,\"ratio\":1.50}")
                .contains("\"future_member\":{\"kept\":[1,2.50,-0.0e1]}");
    }

    @Test
    void theBodyIsCompactJsonInTheApisMemberOrder() {
        String body = utf8(assembleWhole(stream("redacted-thinking")));
        assertThat(body).startsWith("{\"id\":\"msg_01Redacted\",\"type\":\"message\",\"role\":\"assistant\","
                + "\"model\":\"claude-opus-4-1\",\"content\":[{\"type\":\"thinking\",");
        assertThat(body).endsWith("\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\"\\n\\nHuman:\","
                + "\"usage\":{\"input_tokens\":120,\"cache_creation_input_tokens\":4096,"
                + "\"cache_read_input_tokens\":20480,\"output_tokens\":87,\"service_tier\":\"standard\"}}");
    }

    @Test
    void eventsWithoutAnEventLineAreReadByTheirType() {
        String bare = utf8(stream("web-search")).replaceAll("(?m)^event: .*\n", "");
        assertThat(tree(assembleWhole(bare.getBytes(StandardCharsets.UTF_8)))).isEqualTo(expected("web-search"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r\n", "\r"})
    void anyLineEndingWorks(String ending) {
        String crlf = utf8(stream("document-citations")).replace("\n", ending);
        assertThat(tree(assembleWhole(crlf.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(expected("document-citations"));
    }

    @Test
    void aLastEventWithoutItsBlankLineStillCounts() {
        String cut = utf8(stream("redacted-thinking")).stripTrailing();
        assertThat(tree(assembleWhole(cut.getBytes(StandardCharsets.UTF_8)))).isEqualTo(expected("redacted-thinking"));
    }

    @Test
    void directAndCompositeChunksAssembleTheSame() {
        byte[] bytes = stream("web-search");
        StreamAssembler assembler = new StreamAssembler(CAP);
        CompositeByteBuf composite = PooledByteBufAllocator.DEFAULT.compositeDirectBuffer();
        int third = bytes.length / 3;
        ByteBuf direct = PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes, 0, third);
        composite.addComponent(true, PooledByteBufAllocator.DEFAULT.directBuffer().writeBytes(bytes, third, third));
        composite.addComponent(true, Unpooled.copiedBuffer(bytes, 2 * third, bytes.length - 2 * third));
        try {
            assembler.feed(direct);
            assembler.feed(composite);
            assertThat(direct.readerIndex()).isZero();
            assertThat(composite.readerIndex()).isZero();
        } finally {
            direct.release();
            composite.release();
        }
        assertThat(tree(body(assembler.finish(PooledByteBufAllocator.DEFAULT)))).isEqualTo(expected("web-search"));
    }

    @ParameterizedTest
    @CsvSource({
        "overloaded_error, 529", "rate_limit_error, 429", "api_error, 500", "invalid_request_error, 400",
        "authentication_error, 401", "permission_error, 403", "not_found_error, 404", "request_too_large, 413",
        "timeout_error, 504", "billing_error, 402", "brand_new_error, 500"})
    void anInBandErrorIsReportedWithItsStatus(String type, int status) {
        byte[] bytes = (firstEvents("web-search", 4) + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\""
                + type + "\",\"message\":\"Overloaded \\\"now\\\"\"}}\n\n").getBytes(StandardCharsets.UTF_8);
        AssemblyResult result = assemble(bytes, CAP);
        assertThat(result.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(result.status()).isEqualTo(status);
        assertThat(result.errorType()).isEqualTo(type);
        assertThat(result.errorMessage()).isEqualTo("Overloaded \"now\"");
        assertThat(result.body()).isNull();
    }

    @Test
    void anErrorBeforeAnythingElseAndAnUnreadableOneAreErrorsToo() {
        AssemblyResult first = assemble(bytes("event: error\ndata: {\"type\":\"error\",\"error\":"
                + "{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n"), CAP);
        assertThat(first.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(first.status()).isEqualTo(529);
        AssemblyResult unreadable = assemble(bytes(firstEvents("web-search", 1) + "event: error\ndata: oops\n\n"), CAP);
        assertThat(unreadable.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(unreadable.errorType()).isEqualTo("api_error");
        assertThat(unreadable.status()).isEqualTo(500);
    }

    @Test
    void aStreamCutAtAnyEventIsIncompleteNeverABody() {
        String whole = utf8(stream("web-search"));
        int events = whole.split("\n\n").length;
        for (int n = 0; n < events - 1; n++) {
            AssemblyResult result = assemble(firstEvents("web-search", n).getBytes(StandardCharsets.UTF_8), CAP);
            assertThat(result.outcome()).as("after %d events", n).isEqualTo(Outcome.INCOMPLETE);
            assertThat(result.body()).isNull();
            assertThat(result.status()).isZero();
        }
    }

    @Test
    void aStreamCutInsideAnEventIsIncomplete() {
        byte[] bytes = stream("document-citations");
        // Up to the last byte of message_stop's data line: without it, the stream did not end.
        for (int cut = 1; cut < bytes.length - "}\n\n".length(); cut += 3) {
            byte[] head = java.util.Arrays.copyOf(bytes, cut);
            AssemblyResult result = assemble(head, CAP);
            assertThat(result.outcome()).as("cut at %d", cut).isEqualTo(Outcome.INCOMPLETE);
        }
    }

    @Test
    void aMessageOverTheCapOverflowsAndTheBodyIsBoundedToo() {
        byte[] bytes = stream("web-search");
        int size = assembleWhole(bytes).length;
        AssemblyResult tight = assemble(bytes, 1024);
        assertThat(tight.outcome()).isEqualTo(Outcome.OVERFLOW);
        assertThat(tight.body()).isNull();
        // Held bytes fit, the body (with names and brackets) does not: still an overflow, and no leak.
        AssemblyResult justUnder = assemble(bytes, size - 1);
        assertThat(justUnder.outcome()).isEqualTo(Outcome.OVERFLOW);
        assertThat(tree(body(assemble(bytes, size)))).isEqualTo(expected("web-search"));
    }

    @Test
    void oneEventLargerThanTheCapOverflows() {
        String big = "x".repeat(4096);
        String sse = firstEvents("redacted-thinking", 2) + "event: content_block_delta\ndata: {\"type\":"
                + "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"" + big
                + "\"}}\n\n";
        AssemblyResult result = assemble(bytes(sse), 2048);
        assertThat(result.outcome()).isEqualTo(Outcome.OVERFLOW);
    }

    @Test
    void anOverflowStopsReadingAndDropsWhatWasKept() {
        StreamAssembler assembler = new StreamAssembler(600);
        ByteBuf chunk = Unpooled.wrappedBuffer(stream("web-search"));
        try {
            assembler.feed(chunk);
        } finally {
            chunk.release();
        }
        assertThat(assembler.isDecided()).isTrue();
        assertThat(assembler.heldBytes()).isZero();
        assertThat(assembler.finish(PooledByteBufAllocator.DEFAULT).outcome()).isEqualTo(Outcome.OVERFLOW);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // a delta for a block that never started
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":9,\"delta\":"
            + "{\"type\":\"text_delta\",\"text\":\"lost\"}}\n\n",
        // a second start for the same index
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":"
            + "{\"type\":\"text\",\"text\":\"\"}}\n\n",
        // a second message_start
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\"}}\n\n",
        // data that is not JSON
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"text\n\n",
        "event: message_delta\ndata: [1,2]\n\n",
        // a start without its block
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":7}\n\n"})
    void protocolBreaksThatWouldLoseContentAreMalformed(String bad) {
        String sse = firstEvents("web-search", 2) + bad + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        AssemblyResult result = assemble(bytes(sse), CAP);
        assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(result.detail()).doesNotContain("lost");
        assertThat(result.status()).isZero();
    }

    @Test
    void contentBeforeMessageStartIsMalformed() {
        AssemblyResult result = assemble(bytes("event: content_block_start\ndata: {\"type\":\"content_block_start\","
                + "\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"), CAP);
        assertThat(result.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(result.detail()).contains("before message_start");
    }

    @Test
    void aToolCallCutByMaxTokensGetsAnEmptyInput() {
        String sse = firstEvents("redacted-thinking", 1) + "event: content_block_start\ndata: {\"type\":"
                + "\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\","
                + "\"name\":\"write\",\"input\":{}}}\n\nevent: content_block_delta\ndata: {\"type\":"
                + "\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
                + "\"{\\\"text\\\": \\\"trunc\"}}\n\nevent: message_delta\ndata: {\"type\":\"message_delta\","
                + "\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":64}}\n\n"
                + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        byte[] body = body(assemble(bytes(sse), CAP));
        assertThat(tree(body).at("/content/0/input")).isEqualTo(tree("{}"));
        assertThat(tree(body).at("/stop_reason").asText()).isEqualTo("max_tokens");
    }

    @Test
    void isDecidedAtMessageStopAndLaterChunksAreNotRead() {
        StreamAssembler assembler = new StreamAssembler(CAP);
        feed(assembler, stream("redacted-thinking"));
        assertThat(assembler.isDecided()).isTrue();
        feed(assembler, bytes("event: message_start\ndata: {\"broken\n\n"));
        assertThat(tree(body(assembler.finish(PooledByteBufAllocator.DEFAULT)))).isEqualTo(expected("redacted-thinking"));
    }

    @Test
    void finishIsOnceAndFeedAfterItIsRefused() {
        StreamAssembler assembler = new StreamAssembler(CAP);
        AssemblyResult nothing = assembler.finish(PooledByteBufAllocator.DEFAULT);
        assertThat(nothing.outcome()).isEqualTo(Outcome.INCOMPLETE);
        assertThat(nothing.detail()).contains("before message_start");
        assertThatThrownBy(() -> assembler.finish(PooledByteBufAllocator.DEFAULT))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> feed(assembler, bytes("x"))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new StreamAssembler(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heldBytesGrowWithTheMessage() {
        StreamAssembler assembler = new StreamAssembler(CAP);
        feed(assembler, bytes(firstEvents("web-search", 3)));
        long early = assembler.heldBytes();
        assertThat(early).isPositive();
        feed(assembler, bytes(utf8(stream("web-search")).substring(firstEvents("web-search", 3).length())));
        assertThat(assembler.heldBytes()).isGreaterThan(early);
        body(assembler.finish(PooledByteBufAllocator.DEFAULT));
    }

    /** The first {@code n} events of a fixture (each with its blank line), as text. */
    static String firstEvents(String fixture, int n) {
        String[] events = utf8(stream(fixture)).split("\n\n");
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            kept.add(events[i] + "\n\n");
        }
        return String.join("", kept);
    }

    private static void feed(StreamAssembler assembler, byte[] bytes) {
        ByteBuf chunk = Unpooled.wrappedBuffer(bytes);
        try {
            assembler.feed(chunk);
        } finally {
            chunk.release();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
