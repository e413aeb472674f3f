package io.claudelb.codec.cloud;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.JsonEscaper;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The request body a cloud provider takes, built from the client's Messages body in one streaming pass: the model is
 * in the URL there, so the top-level {@code model} goes (and seed B's {@code provider}); {@code anthropic_version}
 * is added (unless the client sent its own); Bedrock also loses {@code stream} (the path says it) and gets the
 * {@code anthropic-beta} header's flags as an {@code anthropic_beta} list (unless the body has one).
 *
 * <p>Every kept member is passed on byte for byte (thinking signatures, {@code cache_control}, unknown fields, escapes
 * are never re-serialised): the result is a composite of retained slices of the original, one per run of kept
 * members, after one small buffer holding {@code {} and the added members. The caller owns the result; the original
 * is neither moved nor released. Only whitespace between top-level members may differ.
 */
public final class CloudRequestBody {
    /** The {@code anthropic_version} Bedrock's Messages API takes. */
    public static final String BEDROCK_VERSION = "bedrock-2023-05-31";
    /** The {@code anthropic_version} Vertex AI's Messages API takes. */
    public static final String VERTEX_VERSION = "vertex-2023-10-16";
    private static final Set<String> BEDROCK_DROPPED = Set.of("model", "stream", "provider");
    private static final Set<String> VERTEX_DROPPED = Set.of("model", "provider");

    private CloudRequestBody() {
    }

    /**
     * Bedrock's body: without {@code model}, {@code stream} and {@code provider}; with {@code anthropic_version} and,
     * when {@code betas} is not empty, {@code anthropic_beta}.
     *
     * @param betas the flags of the request's {@code anthropic-beta} header (after the upstream's beta filter)
     * @throws InvalidRequestException when the body is not one JSON object (the inspector normally caught that)
     */
    public static ByteBuf bedrock(ByteBufAllocator alloc, ByteBuf body, List<String> betas)
            throws InvalidRequestException {
        return build(alloc, body, BEDROCK_DROPPED, BEDROCK_VERSION, betas);
    }

    /** Vertex's body: without {@code model} and {@code provider}, {@code stream} kept, with {@code anthropic_version}. */
    public static ByteBuf vertex(ByteBufAllocator alloc, ByteBuf body) throws InvalidRequestException {
        return build(alloc, body, VERTEX_DROPPED, VERTEX_VERSION, List.of());
    }

    /** The flags of {@code anthropic-beta} header values (comma-separated, possibly several headers), in order. */
    public static List<String> betaFlags(List<String> headerValues) {
        List<String> flags = new ArrayList<>();
        for (String value : headerValues) {
            for (String flag : value.split(",")) {
                String f = flag.trim();
                if (!f.isEmpty() && !flags.contains(f)) {
                    flags.add(f);
                }
            }
        }
        return flags;
    }

    private static ByteBuf build(ByteBufAllocator alloc, ByteBuf body, Set<String> dropped, String version,
                                 List<String> betas) throws InvalidRequestException {
        Objects.requireNonNull(alloc, "alloc");
        Objects.requireNonNull(body, "body");
        Members members = Members.read(body);
        ByteBuf head = alloc.buffer(64 + 48 * betas.size());
        CompositeByteBuf out = alloc.compositeBuffer(2 + 2 * members.size());
        try {
            head.writeByte('{');
            boolean first = true;
            if (!members.has("anthropic_version")) {
                head.writeCharSequence("\"anthropic_version\":", StandardCharsets.US_ASCII);
                JsonEscaper.writeQuoted(head, version);
                first = false;
            }
            if (!betas.isEmpty() && !members.has("anthropic_beta")) {
                head.writeCharSequence(first ? "\"anthropic_beta\":[" : ",\"anthropic_beta\":[",
                        StandardCharsets.US_ASCII);
                for (int i = 0; i < betas.size(); i++) {
                    if (i > 0) {
                        head.writeByte(',');
                    }
                    JsonEscaper.writeQuoted(head, betas.get(i));
                }
                head.writeByte(']');
                first = false;
            }
            out.addComponent(true, head);
            head = null;
            int base = body.readerIndex();
            int runStart = -1;
            int runEnd = -1;
            for (int i = 0; i < members.size(); i++) {
                if (dropped.contains(members.name(i))) {
                    first = flush(out, alloc, body, base, runStart, runEnd, first);
                    runStart = -1;
                    continue;
                }
                if (runStart < 0) {
                    runStart = members.start(i);
                }
                runEnd = members.end(i);
            }
            flush(out, alloc, body, base, runStart, runEnd, first);
            out.addComponent(true, alloc.buffer(1).writeByte('}'));
            return out;
        } catch (RuntimeException | Error e) {
            if (head != null) {
                head.release();
            }
            out.release();
            throw e;
        }
    }

    /** Appends a run of kept members (with a comma before it unless it comes first); returns the new "first". */
    private static boolean flush(CompositeByteBuf out, ByteBufAllocator alloc, ByteBuf body, int base, int start,
                                 int end, boolean first) {
        if (start < 0) {
            return first;
        }
        if (!first) {
            out.addComponent(true, alloc.buffer(1).writeByte(','));
        }
        out.addComponent(true, body.retainedSlice(base + start, end - start));
        return false;
    }

    /** The top-level members of a JSON object: names and the byte range of each (key through value). */
    private static final class Members {
        private final List<String> names = new ArrayList<>();
        private final List<int[]> ranges = new ArrayList<>();

        static Members read(ByteBuf body) throws InvalidRequestException {
            Members m = new Members();
            try (JsonParser parser = JsonParsers.over(body)) {
                if (parser.nextToken() != JsonToken.START_OBJECT
                        || parser.currentTokenLocation().getByteOffset() < 0) {
                    throw new InvalidRequestException("Request body must be a UTF-8 JSON object.");
                }
                JsonToken token;
                int open = -1;
                while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    int start = offset(parser);
                    if (open >= 0) {
                        m.close(body, open, start);
                    }
                    m.names.add(parser.currentName());
                    m.ranges.add(new int[] {start, -1});
                    open = m.ranges.size() - 1;
                    parser.nextToken();
                    parser.skipChildren();
                }
                if (token != JsonToken.END_OBJECT) {
                    throw new InvalidRequestException("Request body is not valid JSON.");
                }
                if (open >= 0) {
                    m.close(body, open, offset(parser));
                }
                return m;
            } catch (JsonProcessingException e) {
                throw new InvalidRequestException("Request body is not valid JSON.");
            } catch (IOException e) {
                throw new InvalidRequestException("Request body could not be read as JSON.");
            }
        }

        /** A member ends where the next token starts, less the whitespace and comma before it. */
        private void close(ByteBuf body, int index, int nextTokenStart) {
            int end = nextTokenStart;
            int base = body.readerIndex();
            while (end > ranges.get(index)[0]) {
                byte b = body.getByte(base + end - 1);
                if (b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == ',') {
                    end--;
                } else {
                    break;
                }
            }
            ranges.get(index)[1] = end;
        }

        private static int offset(JsonParser parser) {
            return Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        }

        int size() {
            return names.size();
        }

        String name(int i) {
            return names.get(i);
        }

        int start(int i) {
            return ranges.get(i)[0];
        }

        int end(int i) {
            return ranges.get(i)[1];
        }

        boolean has(String name) {
            return names.contains(name);
        }
    }
}
