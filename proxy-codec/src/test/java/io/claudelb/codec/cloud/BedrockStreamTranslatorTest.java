package io.claudelb.codec.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BedrockStreamTranslatorTest {
    static final List<String> EVENTS = List.of(
            "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_bdrk_1\",\"type\":\"message\",\"role\":\"assistant\","
                    + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
                    + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}",
            "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \\n"
                    + "w\\u00f6rld\"}}",
            "{\"type\":\"content_block_stop\",\"index\":0}",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
                    + "\"usage\":{\"output_tokens\":5}}",
            "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":12,"
                    + "\"outputTokenCount\":5,\"invocationLatency\":321,\"firstByteLatency\":99}}");

    static byte[] stream(List<String> events, byte[]... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String e : events) {
            out.writeBytes(BedrockFrames.chunk(e.getBytes(StandardCharsets.UTF_8)));
        }
        for (byte[] frame : extra) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    static String sse(List<String> events) {
        StringBuilder out = new StringBuilder();
        for (String e : events) {
            String type = e.substring(9, e.indexOf('"', 9));
            out.append("event: ").append(type).append("\ndata: ").append(e).append("\n\n");
        }
        return out.toString();
    }

    /** Feeds {@code bytes} cut at {@code cuts} (offsets) and returns the translated text. */
    static String translate(BedrockStreamTranslator t, byte[] bytes, int... cuts) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            ByteBuf chunk = PooledByteBufAllocator.DEFAULT.directBuffer(to - from).writeBytes(bytes, from, to - from);
            try {
                out.append(take(t.onChunk(chunk)));
                assertThat(chunk.readerIndex()).isZero();
            } finally {
                chunk.release();
            }
            from = to;
        }
        out.append(take(t.onEnd()));
        return out.toString();
    }

    static String take(ByteBuf buf) {
        try {
            return buf.toString(StandardCharsets.UTF_8);
        } finally {
            buf.release();
        }
    }

    private static BedrockStreamTranslator translator() {
        return new BedrockStreamTranslator(PooledByteBufAllocator.DEFAULT);
    }

    @Test
    void translatesEveryChunkFrameIntoItsSseEvent() {
        BedrockStreamTranslator t = translator();
        assertThat(translate(t, stream(EVENTS))).isEqualTo(sse(EVENTS));
        assertThat(t.completed()).isTrue();
        assertThat(t.exception()).isNull();
        assertThat(t.events()).isEqualTo(6);
        assertThat(t.metrics()).isEqualTo(new InvocationMetrics(12, 5, 0, 0, 321, 99));
    }

    @Test
    void framesSplitAnywhereGiveTheSameBytes() {
        byte[] bytes = stream(EVENTS);
        String expected = sse(EVENTS);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(translate(translator(), bytes, cut)).as("cut at %d", cut).isEqualTo(expected);
        }
        Random random = new Random(15);
        for (int run = 0; run < 200; run++) {
            int[] cuts = random.ints(1 + random.nextInt(40), 1, bytes.length).sorted().distinct().toArray();
            assertThat(translate(translator(), bytes, cuts)).isEqualTo(expected);
        }
        // One byte at a time: every frame completes in some later chunk, never before.
        int[] everyByte = new int[bytes.length - 1];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = i + 1;
        }
        assertThat(translate(translator(), bytes, everyByte)).isEqualTo(expected);
    }

    @Test
    void anExceptionFrameBeforeAnyEventIsTypedAndBecomesAnErrorEvent() {
        BedrockStreamTranslator t = translator();
        String out = translate(t, BedrockFrames.exception("throttlingException", "Too many tokens, please wait."));
        assertThat(t.exception()).isEqualTo(new BedrockStreamException("throttlingException",
                "Too many tokens, please wait."));
        assertThat(t.exception().status()).isEqualTo(429);
        assertThat(out).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\","
                + "\"message\":\"Too many tokens, please wait.\"}}\n\n");
    }

    @Test
    void anExceptionFrameMidStreamEndsItWithOneErrorEventAndNothingAfter() {
        BedrockStreamTranslator t = translator();
        byte[] bytes = stream(EVENTS.subList(0, 3), BedrockFrames.exception("modelStreamErrorException", "boom"),
                BedrockFrames.chunk(EVENTS.get(3).getBytes(StandardCharsets.UTF_8)));
        String out = translate(t, bytes);
        assertThat(out).isEqualTo(sse(EVENTS.subList(0, 3)) + "event: error\ndata: {\"type\":\"error\",\"error\":"
                + "{\"type\":\"api_error\",\"message\":\"boom\"}}\n\n");
        assertThat(t.exception().status()).isEqualTo(500);
        // The exchange's own failure after that adds nothing: the stream already carries its error.
        assertThat(take(t.onError("api_error", "upstream broke"))).isEmpty();
    }

    @Test
    void everyExceptionTypeHasItsStatusAndAnthropicType() {
        String[][] table = {
            {"throttlingException", "429", "rate_limit_error"},
            {"serviceUnavailableException", "503", "overloaded_error"},
            {"internalServerException", "500", "api_error"},
            {"modelStreamErrorException", "500", "api_error"},
            {"modelTimeoutException", "408", "timeout_error"},
            {"validationException", "400", "invalid_request_error"},
            {"ModelErrorException", "502", "api_error"},
            {"AccessDeniedException", "403", "permission_error"},
            {"somethingNewException", "500", "api_error"},
        };
        for (String[] row : table) {
            BedrockStreamException e = new BedrockStreamException(row[0], "m");
            assertThat(e.status()).as(row[0]).isEqualTo(Integer.parseInt(row[1]));
            assertThat(e.errorType()).as(row[0]).isEqualTo(row[2]);
        }
    }

    @Test
    void aCorruptFrameIsAFramingFailure() {
        byte[] bytes = stream(EVENTS);
        bytes[20] ^= 0x55;
        BedrockStreamTranslator t = translator();
        String out = translate(t, bytes, 7);
        assertThat(t.exception().exceptionType()).isEqualTo(BedrockStreamException.FRAMING);
        assertThat(t.exception().status()).isEqualTo(502);
        assertThat(out).startsWith("event: error\n").contains("\"api_error\"");
    }

    @Test
    void invocationMetricsBecomeTheUsageOfADeltaThatHasNone() {
        List<String> events = List.of(EVENTS.get(0),
                "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"}}",
                "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":7,"
                        + "\"outputTokenCount\":3,\"cacheReadInputTokenCount\":2,\"cacheWriteInputTokenCount\":1}}");
        String out = translate(translator(), stream(events), 40);
        assertThat(out).contains("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\"},\"usage\":{\"input_tokens\":7,\"output_tokens\":3,\"cache_read_input_tokens\":2,"
                + "\"cache_creation_input_tokens\":1}}\n\nevent: message_stop\n");
        // Held only until the next frame: a stream that ends after the delta still delivers it, unchanged.
        String cut = translate(translator(), stream(events.subList(0, 2)));
        assertThat(cut).endsWith("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
                + "\"end_turn\"}}\n\n");
    }

    @Test
    void aFailureAfterBytesReachedTheClientEndsTheStreamOnce() {
        BedrockStreamTranslator t = translator();
        translate(t, stream(EVENTS.subList(0, 2)));
        assertThat(take(t.onError("api_error", "cut"))).isEqualTo("event: error\ndata: {\"type\":\"error\",\"error\":"
                + "{\"type\":\"api_error\",\"message\":\"cut\"}}\n\n");
        BedrockStreamTranslator done = translator();
        translate(done, stream(EVENTS));
        assertThat(take(done.onError("api_error", "late"))).isEmpty();
    }

    @Test
    void heapAndCompositeChunksWork() {
        byte[] bytes = stream(EVENTS);
        BedrockStreamTranslator t = translator();
        ByteBuf composite = Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(bytes, 0, 10),
                Unpooled.wrappedBuffer(bytes, 10, bytes.length - 10));
        try {
            assertThat(take(t.onChunk(composite)) + take(t.onEnd())).isEqualTo(sse(EVENTS));
        } finally {
            composite.release();
        }
    }

    @Test
    void errorBodiesOfHttpErrorsGetAnthropicShape() {
        ByteBuf body = Unpooled.copiedBuffer("{\"message\":\"Too many requests\"}", StandardCharsets.UTF_8);
        ByteBuf out = BedrockErrors.translateError(PooledByteBufAllocator.DEFAULT, 429,
                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", body);
        assertThat(take(out)).isEqualTo("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":"
                + "\"Too many requests\"}}");
        ByteBuf noHeader = BedrockErrors.translateError(PooledByteBufAllocator.DEFAULT, 400, null,
                Unpooled.copiedBuffer("{\"Message\":\"bad\"}", StandardCharsets.UTF_8));
        assertThat(take(noHeader)).contains("invalid_request_error").contains("\"bad\"");
        body.release();
        assertThat(BedrockErrors.typeOfHeader("ValidationException")).isEqualTo("ValidationException");
        assertThat(BedrockErrors.typeOfHeader(null)).isNull();
    }

    @Test
    void vertexErrorsPassWhenAnthropicShapedAndAreRewrittenWhenGoogles() {
        ByteBuf anthropic = Unpooled.copiedBuffer("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
                + "\"message\":\"Overloaded\"}}", StandardCharsets.UTF_8);
        ByteBuf same = VertexErrors.translateError(PooledByteBufAllocator.DEFAULT, 529, anthropic);
        assertThat(take(same)).isEqualTo(anthropic.toString(StandardCharsets.UTF_8));
        anthropic.release();
        ByteBuf google = Unpooled.copiedBuffer("{\"error\":{\"code\":429,\"message\":\"Quota exceeded for "
                + "aiplatform.googleapis.com/online_prediction_requests_per_base_model\",\"status\":"
                + "\"RESOURCE_EXHAUSTED\"}}", StandardCharsets.UTF_8);
        assertThat(take(VertexErrors.translateError(PooledByteBufAllocator.DEFAULT, 429, google)))
                .startsWith("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Quota exceeded");
        google.release();
    }
}
