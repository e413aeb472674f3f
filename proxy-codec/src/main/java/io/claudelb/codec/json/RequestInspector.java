package io.claudelb.codec.json;

import com.fasterxml.jackson.core.JsonParser;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads the routing facts out of an aggregated {@code POST /v1/messages} body in one pass: the top-level
 * {@code model}, {@code stream}, {@code metadata.user_id} and {@code provider}, plus the exact byte ranges
 * {@link BodyRewriter} and {@link BodyDigest} need. The pass is {@link JsonScan}, which validates the whole body as
 * jackson would and reports the top-level members as byte ranges; only the few values routing reads are decoded
 * (jackson-core over their own bytes when they hold escapes), and every other value (messages, system, tools,
 * images) is never turned into strings.
 *
 * <p>Only top-level members count: a {@code "model"} key inside {@code messages} or {@code tools} is ignored. The
 * whole body is still checked to be one well-formed JSON object with nothing after it. A second top-level
 * {@code model} or {@code provider} member is rejected, because JSON parsers disagree on which duplicate wins and the
 * proxy must route on the same value the upstream will read. For a duplicated {@code stream} or {@code metadata} the
 * last one wins, as in most parsers.
 *
 * <p>The body is neither moved nor released. Offsets in the result are relative to its readerIndex. A body that is
 * not backed by one array (the aggregator's composite of direct chunks) is first copied into a per-thread scratch
 * array: one copy at memory speed, cheaper than the byte-at-a-time reads it saves.
 */
public final class RequestInspector {
    /** Scratch arrays up to this size are kept for the thread's next body; larger bodies get their own. */
    private static final int KEPT_SCRATCH_BYTES = 1 << 20;
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[64 * 1024]);

    private RequestInspector() {
    }

    /**
     * Inspects {@code body}'s readable bytes.
     *
     * @throws InvalidRequestException when the body is not a single JSON object in UTF-8, or has no string
     *                                 {@code model}; the message can go to the client unchanged
     */
    public static RequestInfo inspect(ByteBuf body) throws InvalidRequestException {
        Objects.requireNonNull(body, "body");
        int length = body.readableBytes();
        if (length == 0) {
            throw new InvalidRequestException("Request body is empty; expected a JSON object.");
        }
        if (body.hasArray()) {
            return new Pass(body.array(), body.arrayOffset() + body.readerIndex(), length).run();
        }
        byte[] scratch = scratch(length);
        body.getBytes(body.readerIndex(), scratch, 0, length);
        return new Pass(scratch, 0, length).run();
    }

    private static byte[] scratch(int length) {
        byte[] kept = SCRATCH.get();
        if (kept.length >= length) {
            return kept;
        }
        if (length > KEPT_SCRATCH_BYTES) {
            return new byte[length];
        }
        byte[] grown = new byte[Math.max(length, Math.min(KEPT_SCRATCH_BYTES, kept.length * 2))];
        SCRATCH.set(grown);
        return grown;
    }

    /** The members routing reads; every other name is {@link #OTHER}. */
    private enum Name {
        MODEL("model"), STREAM("stream"), METADATA("metadata"), PROVIDER("provider"), USER_ID("user_id"), OTHER("");

        private static final Name[] KNOWN = {MODEL, STREAM, METADATA, PROVIDER, USER_ID};
        private final String text;
        private final byte[] ascii;

        Name(String text) {
            this.text = text;
            this.ascii = text.getBytes(StandardCharsets.US_ASCII);
        }

        /** The name a member's decoded key stands for. */
        static Name of(String decoded) {
            for (Name n : KNOWN) {
                if (n.text.equals(decoded)) {
                    return n;
                }
            }
            return OTHER;
        }

        /** The name between {@code a[from]} and {@code a[to]}, which hold no escape. */
        static Name of(byte[] a, int from, int to) {
            for (Name n : KNOWN) {
                if (Arrays.equals(a, from, to, n.ascii, 0, n.ascii.length)) {
                    return n;
                }
            }
            return OTHER;
        }
    }

    /** One inspection's state, fed the top-level members by {@link JsonScan}. */
    private static final class Pass implements JsonScan.Members {
        private final byte[] a;
        private final int offset;
        private final int length;
        private String model;
        private int modelStart = -1;
        private int modelEnd = -1;
        private boolean stream;
        private String userId;
        private String provider;
        private final MemberRange providerRange = new MemberRange();
        private final MemberRange streamRange = new MemberRange();

        Pass(byte[] a, int offset, int length) {
            this.a = a;
            this.offset = offset;
            this.length = length;
        }

        RequestInfo run() throws InvalidRequestException {
            int closingBrace = JsonScan.object(a, offset, offset + length, this) - offset;
            providerRange.objectEndsAt(closingBrace);
            streamRange.objectEndsAt(closingBrace);
            if (model == null) {
                throw new InvalidRequestException("model: field required");
            }
            return new RequestInfo(model, modelStart, modelEnd, stream, userId, provider, providerRange.start,
                    providerRange.end, streamRange.start, streamRange.end);
        }

        @Override
        public void member(int keyStart, int keyEnd, int valueStart, int valueEnd) throws InvalidRequestException {
            int key = keyStart - offset;
            // A member whose range is open is followed by another: the range ends where this one starts.
            providerRange.nextMemberAt(key);
            streamRange.nextMemberAt(key);
            byte first = a[valueStart];
            switch (name(keyStart, keyEnd)) {
                case MODEL -> {
                    if (model != null) {
                        throw new InvalidRequestException("model: must appear only once");
                    }
                    if (first != '"') {
                        throw new InvalidRequestException("model: must be a string");
                    }
                    model = text(valueStart, valueEnd);
                    modelStart = valueStart - offset;
                    modelEnd = valueEnd - offset;
                }
                case STREAM -> {
                    stream = first == 't';
                    // A duplicate stream member: the last one wins, and only it is left out of the digest.
                    streamRange.reset();
                    streamRange.open(key);
                }
                case METADATA -> userId = first == '{' ? userId(valueStart, valueEnd) : null;
                case PROVIDER -> {
                    if (providerRange.seen()) {
                        throw new InvalidRequestException("provider: must appear only once");
                    }
                    provider = first == '"' ? text(valueStart, valueEnd) : null;
                    providerRange.open(key);
                }
                case USER_ID, OTHER -> { }
            }
        }

        private Name name(int keyStart, int keyEnd) throws InvalidRequestException {
            return hasEscape(keyStart, keyEnd) ? Name.of(text(keyStart, keyEnd))
                    : Name.of(a, keyStart + 1, keyEnd - 1);
        }

        /** The decoded string of the (already validated) JSON string token {@code a[from, to)}. */
        private String text(int from, int to) throws InvalidRequestException {
            if (!hasEscape(from, to)) {
                return new String(a, from + 1, to - from - 2, StandardCharsets.UTF_8);
            }
            try (JsonParser parser = JsonParsers.over(a, from, to - from)) {
                parser.nextToken();
                return parser.getText();
            } catch (IOException e) {
                throw new InvalidRequestException("Request body is not valid JSON: " + clip(e.getMessage()));
            }
        }

        private boolean hasEscape(int from, int to) {
            for (int i = from + 1; i < to - 1; i++) {
                if (a[i] == '\\') {
                    return true;
                }
            }
            return false;
        }

        /** {@code user_id} of the (already validated) metadata object {@code a[from, to)}, or null. */
        private String userId(int from, int to) throws InvalidRequestException {
            String[] found = {null};
            JsonScan.object(a, from, to, (keyStart, keyEnd, valueStart, valueEnd) -> {
                if (name(keyStart, keyEnd) == Name.USER_ID) {
                    found[0] = a[valueStart] == '"' ? text(valueStart, valueEnd) : null;
                }
            });
            return found[0];
        }

        /**
         * The byte range that removes one top-level member, its value and one adjacent comma, so the object left is
         * still well-formed JSON with every other byte where it was.
         */
        private final class MemberRange {
            private int keyStart = -1;
            private int start = -1;
            private int end = -1;
            /** The member's value has been read: its range ends where the next token starts. */
            private boolean open;

            boolean seen() {
                return keyStart >= 0;
            }

            void open(int memberKeyStart) {
                keyStart = memberKeyStart;
                open = true;
            }

            void reset() {
                keyStart = -1;
                start = -1;
                end = -1;
                open = false;
            }

            /** Another member follows: drop this one, its comma and the whitespace up to the next key. */
            void nextMemberAt(int nextKeyStart) {
                if (open) {
                    close(keyStart, nextKeyStart);
                }
            }

            /**
             * It was the last member: take the comma before it instead, and end at its value so the whitespace
             * before the closing brace stays.
             */
            void objectEndsAt(int closingBrace) {
                if (!open) {
                    return;
                }
                int valueEnd = closingBrace;
                while (valueEnd > keyStart && isJsonWhitespace(byteAt(valueEnd - 1))) {
                    valueEnd--;
                }
                int comma = keyStart - 1;
                while (comma >= 0 && isJsonWhitespace(byteAt(comma))) {
                    comma--;
                }
                if (comma >= 0 && byteAt(comma) == ',') {
                    close(comma, valueEnd);
                } else {
                    // The only member: the object becomes empty.
                    close(keyStart, valueEnd);
                }
            }

            private void close(int from, int to) {
                start = from;
                end = to;
                open = false;
            }
        }

        private byte byteAt(int at) {
            return a[offset + at];
        }
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private static String clip(String message) {
        if (message == null) {
            return "malformed input";
        }
        return message.length() <= 200 ? message : message.substring(0, 200) + "...";
    }
}
