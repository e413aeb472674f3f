package io.claudelb.codec.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Hand-written Anthropic streams for the block kinds the mock upstream does not produce (server tool use and its
 * result, citations of every location kind, redacted thinking, stop sequences, unknown kinds), each with the
 * non-streaming message it stands for; and the plumbing to run a {@link StreamAssembler} over bytes in chosen
 * chunks. Public (in the test-jar) for proxy-server's check against the official SDK's accumulator.
 */
public final class StreamFixtures {
    /** Fixtures whose kinds the official SDK knows: its accumulator must agree on them. */
    public static final List<String> SDK_KNOWN = List.of("web-search", "redacted-thinking", "document-citations");
    /** Every fixture. */
    public static final List<String> ALL = List.of("web-search", "redacted-thinking", "document-citations",
            "unknown-kinds");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;

    private StreamFixtures() {
    }

    /** The SSE bytes of fixture {@code name}. */
    public static byte[] stream(String name) {
        return resource(name + ".sse");
    }

    /** The message fixture {@code name} stands for. */
    public static JsonNode expected(String name) {
        return tree(resource(name + ".json"));
    }

    public static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        return tree(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Feeds {@code stream} cut at the given ascending offsets, as heap chunks, and finishes. */
    public static AssemblyResult assemble(byte[] stream, int maxBytes, int... cuts) {
        StreamAssembler assembler = new StreamAssembler(maxBytes);
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : stream.length;
            ByteBuf chunk = Unpooled.wrappedBuffer(stream, from, to - from);
            try {
                assembler.feed(chunk);
            } finally {
                chunk.release();
            }
            from = to;
        }
        return assembler.finish(ALLOC);
    }

    /** The body of a COMPLETE result as bytes, releasing it; fails on any other outcome. */
    public static byte[] body(AssemblyResult result) {
        if (!result.isComplete()) {
            throw new AssertionError("not complete: " + result);
        }
        ByteBuf body = result.body();
        try {
            byte[] bytes = new byte[body.readableBytes()];
            body.getBytes(body.readerIndex(), bytes);
            return bytes;
        } finally {
            body.release();
        }
    }

    /** Assembles the whole stream in one chunk, with a generous cap, and returns the body. */
    public static byte[] assembleWhole(byte[] stream) {
        return body(assemble(stream, 64 * 1024 * 1024));
    }

    private static byte[] resource(String file) {
        try (InputStream in = StreamFixtures.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
