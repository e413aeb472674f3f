package io.claudelb.codec.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The tap of a relayed non-streaming answer: reads the top-level {@code usage} object of a Messages JSON body as
 * its chunks pass through, with jackson-core's non-blocking parser fed each chunk's own bytes (no copy, no
 * aggregation, nothing kept but the counts). Content and every other member are tokenized and dropped.
 *
 * <p>A body that is not well-formed JSON stops the tap (what was read before stays): usage is bookkeeping and
 * must never break a relay. Mutable and not thread-safe: one per exchange, on its event loop.
 */
public final class JsonUsageTap {
    private static final JsonFactory FACTORY = new JsonFactory();

    private final Usage usage = new Usage();
    private JsonParser parser;
    private ByteBufferFeeder feeder;
    private boolean broken;
    /** Object/array nesting of the token just read (1 = inside the top-level object). */
    private int depth;
    /** Depth of the usage object while inside it (else -1), and of its cache_creation object (else -1). */
    private int usageDepth = -1;
    private int cacheDepth = -1;
    private String field;

    /** Feeds the readable bytes of {@code chunk} (its reader index is not moved). */
    public void feed(ByteBuf chunk) {
        if (broken || !chunk.isReadable()) {
            return;
        }
        try {
            if (parser == null) {
                parser = FACTORY.createNonBlockingByteBufferParser();
                feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
            }
            for (ByteBuffer b : chunk.nioBuffers()) {
                feeder.feedInput(b);
                readAvailable();
            }
        } catch (IOException | RuntimeException e) {
            broken = true;
        }
    }

    private void readAvailable() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> {
                    depth++;
                    if (t == JsonToken.START_OBJECT && depth == 2 && usageDepth < 0 && "usage".equals(field)) {
                        usageDepth = 2;
                    } else if (t == JsonToken.START_OBJECT && depth == 3 && usageDepth == 2
                            && "cache_creation".equals(field)) {
                        cacheDepth = 3;
                    }
                    field = null;
                }
                case END_OBJECT, END_ARRAY -> {
                    if (depth == cacheDepth) {
                        cacheDepth = -1;
                    } else if (depth == usageDepth) {
                        usageDepth = -1;
                    }
                    depth--;
                }
                case FIELD_NAME -> field = parser.currentName();
                case VALUE_NUMBER_INT -> {
                    if (depth == usageDepth) {
                        usage.count(field, Math.max(0, parser.getLongValue()));
                    } else if (depth == cacheDepth) {
                        usage.cacheCreation(field, Math.max(0, parser.getLongValue()));
                    }
                }
                case VALUE_STRING -> {
                    if (depth == 1 && "stop_reason".equals(field)) {
                        usage.stopReason(parser.getText());
                    } else if (depth == 1 && "model".equals(field)) {
                        usage.model(parser.getText());
                    }
                }
                default -> {
                    // other values are not usage
                }
            }
        }
    }

    /** What the body reported so far. */
    public Usage usage() {
        return usage;
    }
}
