package io.claudelb.codec.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonUsageTapTest {
    /** A Messages answer whose content quotes a usage object and nests one, which must not count. */
    private static final String BODY = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
            + "\"model\":\"claude-opus-4-7\",\"content\":[{\"type\":\"text\",\"text\":\"{\\\"usage\\\":"
            + "{\\\"input_tokens\\\":999}}\"},{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"n\",\"input\":"
            + "{\"usage\":{\"input_tokens\":777}}}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
            + "\"usage\":{\"input_tokens\":1200,\"cache_creation_input_tokens\":2300,\"cache_read_input_tokens\":48000,"
            + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1500,\"ephemeral_1h_input_tokens\":800},"
            + "\"output_tokens\":345,\"server_tool_use\":{\"web_search_requests\":2},\"service_tier\":\"standard\"}}";

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    private static void assertOpusTurn(Usage u) {
        assertThat(u.reported()).isTrue();
        assertThat(u.inputTokens()).isEqualTo(1200);
        assertThat(u.outputTokens()).isEqualTo(345);
        assertThat(u.cacheReadInputTokens()).isEqualTo(48_000);
        assertThat(u.cacheCreationInputTokens()).isEqualTo(2300);
        assertThat(u.cacheWrite5mTokens()).isEqualTo(1500);
        assertThat(u.cacheWrite1hTokens()).isEqualTo(800);
    }

    @Test
    void readsTheTopLevelUsageInOneChunk() {
        JsonUsageTap tap = new JsonUsageTap();
        ByteBuf body = bytes(BODY);
        tap.feed(body);
        assertThat(body.readerIndex()).isZero();
        body.release();
        assertOpusTurn(tap.usage());
    }

    @Test
    void readsItSplitAtEveryPossibleByte() {
        byte[] all = BODY.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < all.length; cut++) {
            JsonUsageTap tap = new JsonUsageTap();
            ByteBuf a = Unpooled.wrappedBuffer(all, 0, cut);
            ByteBuf b = Unpooled.wrappedBuffer(all, cut, all.length - cut);
            tap.feed(a);
            tap.feed(b);
            assertOpusTurn(tap.usage());
        }
    }

    @Test
    void readsACompositeOfDirectBuffers() {
        byte[] all = BODY.getBytes(StandardCharsets.UTF_8);
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        for (int i = 0; i < all.length; i += 37) {
            ByteBuf part = Unpooled.directBuffer(37);
            part.writeBytes(all, i, Math.min(37, all.length - i));
            composite.addComponent(true, part);
        }
        JsonUsageTap tap = new JsonUsageTap();
        tap.feed(composite);
        composite.release();
        assertOpusTurn(tap.usage());
    }

    @Test
    void aBrokenBodyKeepsWhatWasReadAndNeverThrows() {
        JsonUsageTap tap = new JsonUsageTap();
        ByteBuf body = bytes("{\"usage\":{\"input_tokens\":5,\"output_tokens\":}garbage");
        tap.feed(body);
        body.release();
        assertThat(tap.usage().inputTokens()).isEqualTo(5);
        assertThat(tap.usage().outputTokens()).isZero();
    }

    @Test
    void aLongAnswerKeepsOnlyItsTailAndStillFindsTheUsage() {
        String longBody = BODY.replace("\"},{\"type\":\"tool_use\"", "x".repeat(100_000) + "\"},{\"type\":\"tool_use\"");
        byte[] all = longBody.getBytes(StandardCharsets.UTF_8);
        JsonUsageTap tap = new JsonUsageTap();
        for (int i = 0; i < all.length; i += 8192) {
            ByteBuf part = Unpooled.wrappedBuffer(all, i, Math.min(8192, all.length - i));
            tap.feed(part);
        }
        assertOpusTurn(tap.usage());
        // One chunk larger than the tail.
        JsonUsageTap whole = new JsonUsageTap();
        whole.feed(Unpooled.wrappedBuffer(all));
        assertOpusTurn(whole.usage());
    }

    @Test
    void aUsageKeyWithoutCountsIsSkippedForAnEarlierOne() {
        JsonUsageTap tap = new JsonUsageTap();
        ByteBuf body = bytes("{\"usage\":{\"input_tokens\":7,\"output_tokens\":3},\"content\":[{\"type\":\"tool_use\","
                + "\"input\":{\"usage\" : {\"cpu\":1}}}]}");
        tap.feed(body);
        body.release();
        assertThat(tap.usage().inputTokens()).isEqualTo(7);
        assertThat(tap.usage().outputTokens()).isEqualTo(3);
    }

    @Test
    void usageWrittenFirstBeforeALongContentIsNotSeen() {
        // The documented limit: only the last 4 KiB are kept.
        JsonUsageTap tap = new JsonUsageTap();
        ByteBuf body = bytes("{\"usage\":{\"input_tokens\":7},\"content\":[{\"type\":\"text\",\"text\":\""
                + "y".repeat(10_000) + "\"}]}");
        tap.feed(body);
        body.release();
        assertThat(tap.usage().reported()).isFalse();
    }

    @Test
    void aWholeTranslatedBodyIsReadWhereverTheUsageIs() {
        ByteBuf body = bytes("{\"usage\":{\"input_tokens\":7,\"output_tokens\":2},\"content\":[{\"type\":\"text\","
                + "\"text\":\"" + "y".repeat(10_000) + "\"}]}");
        assertThat(JsonUsageTap.ofWhole(body).usage().outputTokens()).isEqualTo(2);
        body.release();
    }

    @Test
    void aBodyWithoutUsageReportsNone() {
        JsonUsageTap tap = new JsonUsageTap();
        ByteBuf body = bytes("{\"type\":\"message\",\"content\":[]}");
        tap.feed(body);
        body.release();
        assertThat(tap.usage().reported()).isFalse();
    }
}
