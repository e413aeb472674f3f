package io.claudelb.codec.openai;

import static io.claudelb.codec.openai.Buffers.ALLOC;
import static io.claudelb.codec.openai.Buffers.take;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Feeds an OpenAI SSE byte stream to a fresh {@link OpenAiStreamTranslator} in given pieces. */
final class StreamHarness {
    static final String MODEL = "claude-sonnet-4-5";
    static final String MESSAGE_ID = "msg_test";

    private StreamHarness() {
    }

    static OpenAiStreamTranslator translator() {
        return new OpenAiStreamTranslator(ALLOC, MODEL, MESSAGE_ID, 42);
    }

    /** Whole stream in one buffer, then end. */
    static String translate(String openAiSse) {
        byte[] bytes = openAiSse.getBytes(StandardCharsets.UTF_8);
        return translate(bytes, List.of(bytes.length));
    }

    /** Feeds {@code bytes} split at the given cut offsets (ascending), then calls {@code onEnd}. */
    static String translate(byte[] bytes, List<Integer> cuts) {
        OpenAiStreamTranslator translator = translator();
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int cut : cuts) {
            feed(translator, bytes, from, cut, out);
            from = cut;
        }
        feed(translator, bytes, from, bytes.length, out);
        out.append(take(translator.onEnd()));
        return out.toString();
    }

    static void feed(OpenAiStreamTranslator translator, byte[] bytes, int from, int to, StringBuilder out) {
        ByteBuf in = ALLOC.buffer(Math.max(1, to - from));
        try {
            in.writeBytes(bytes, from, to - from);
            out.append(take(translator.onChunk(in)));
            if (in.refCnt() != 1 || in.readerIndex() != 0) {
                throw new AssertionError("translator released or consumed its input");
            }
        } finally {
            in.release();
        }
    }

    /** One Anthropic SSE event as the translator writes it. */
    static String event(String type, String json) {
        return "event: " + type + "\ndata: " + Buffers.compact(json) + "\n\n";
    }
}
