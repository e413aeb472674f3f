package io.claudelb.codec.message;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Reads the JSON data of one Messages stream event into a {@link MessageDraft}, with jackson-core's streaming parser
 * over the scanner's data array: one pass, no tree. Values that pass through are kept as the exact bytes the
 * upstream sent ({@link RawJson}, located by the parser's byte offsets); delta strings are appended still escaped.
 * Members may come in any order.
 *
 * <p>Every byte kept is counted with {@link MessageDraft#hold}. Protocol breaks that would lose content throw
 * {@link StreamFormatException}; data that is not JSON throws the parser's {@link IOException}.
 */
final class EventReader {
    /** The one payload member a delta of each known kind carries. */
    private enum Payload {
        TEXT("text", "text_delta"),
        THINKING("thinking", "thinking_delta"),
        SIGNATURE("signature", "signature_delta"),
        PARTIAL_JSON("partial_json", "input_json_delta"),
        CITATION("citation", "citations_delta");

        private static final Payload[] ALL = values();

        final String member;
        final String deltaType;

        Payload(String member, String deltaType) {
            this.member = member;
            this.deltaType = deltaType;
        }

        static Payload ofMember(String name) {
            for (Payload p : ALL) {
                if (p.member.equals(name)) {
                    return p;
                }
            }
            return null;
        }

        static Payload ofDeltaType(String type) {
            for (Payload p : ALL) {
                if (p.deltaType.equals(type)) {
                    return p;
                }
            }
            return null;
        }
    }

    private EventReader() {
    }

    /** {@code message_start}: the envelope and the first usage. */
    static MessageDraft messageStart(byte[] data, int length) throws IOException, StreamFormatException {
        try (JsonParser p = open(data, length)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_OBJECT && "message".equals(name)) {
                    return readMessage(p, data);
                }
                p.skipChildren();
            }
        }
        throw new StreamFormatException("message_start: no message object");
    }

    private static MessageDraft readMessage(JsonParser p, byte[] data) throws IOException {
        LinkedHashMap<String, RawJson> envelope = new LinkedHashMap<>();
        LinkedHashMap<String, RawJson> usage = null;
        long held = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if ("usage".equals(name) && value == JsonToken.START_OBJECT) {
                usage = new LinkedHashMap<>();
                held += readMembers(p, data, usage);
                envelope.put(name, RawJson.EMPTY_OBJECT);
            } else {
                RawJson raw = captureValue(p, data);
                held += raw.length();
                envelope.put(name, raw);
            }
        }
        MessageDraft draft = new MessageDraft(envelope, usage);
        draft.hold(held);
        return draft;
    }

    /** {@code content_block_start}: a new block, its members as they came. */
    static void contentBlockStart(MessageDraft draft, byte[] data, int length)
            throws IOException, StreamFormatException {
        LinkedHashMap<String, RawJson> members = new LinkedHashMap<>();
        boolean[] seen = new boolean[1];
        long index = readIndexed(data, length, "content_block", p -> {
            seen[0] = true;
            draft.hold(readMembers(p, data, members));
        });
        if (index < 0 || !seen[0]) {
            throw new StreamFormatException("content_block_start: no index or content_block");
        }
        draft.startBlock(index, new BlockDraft(members));
    }

    /** {@code content_block_delta}: applies a known delta kind to its block; other kinds are ignored. */
    static void contentBlockDelta(MessageDraft draft, byte[] data, int length)
            throws IOException, StreamFormatException {
        String[] type = new String[1];
        // Where each payload member's value lies in data; read once the delta's type is known.
        int[] from = new int[Payload.ALL.length];
        int[] to = new int[Payload.ALL.length];
        long index = readIndexed(data, length, "delta", p -> type[0] = readDelta(p, from, to));
        if (index < 0) {
            throw new StreamFormatException("content_block_delta: no index");
        }
        BlockDraft block = draft.block(index, "content_block_delta");
        Payload payload = type[0] == null ? null : Payload.ofDeltaType(type[0]);
        if (payload == null || to[payload.ordinal()] == 0) {
            return; // an unknown delta kind, or a known one without its payload: nothing to add
        }
        int start = from[payload.ordinal()];
        int end = to[payload.ordinal()];
        boolean string = data[start] == '"';
        if (payload == Payload.CITATION ? data[start] != '{' : !string) {
            return;
        }
        draft.hold(end - start);
        switch (payload) {
            case TEXT -> block.appendText(data, start + 1, end - 1);
            case THINKING -> block.appendThinking(data, start + 1, end - 1);
            case PARTIAL_JSON -> block.appendPartialJson(data, start + 1, end - 1);
            case SIGNATURE -> block.setSignature(RawJson.copyOf(data, start, end));
            case CITATION -> block.addCitation(RawJson.copyOf(data, start, end));
            default -> throw new IllegalStateException(payload.name());
        }
    }

    /** Reads the object the parser is on (just after its START_OBJECT), to its END_OBJECT. */
    @FunctionalInterface
    private interface ObjectReader {
        void read(JsonParser p) throws IOException;
    }

    /**
     * Reads a block event, {@code {"index": N, <member>: {...}}} with its members in any order: hands the object to
     * {@code reader} and returns the index, or -1 when there was none.
     */
    private static long readIndexed(byte[] data, int length, String member, ObjectReader reader)
            throws IOException, StreamFormatException {
        long index = -1;
        try (JsonParser p = open(data, length)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("index".equals(name) && value == JsonToken.VALUE_NUMBER_INT) {
                    index = p.getLongValue();
                } else if (member.equals(name) && value == JsonToken.START_OBJECT) {
                    reader.read(p);
                } else {
                    p.skipChildren();
                }
            }
        }
        return index;
    }

    /** Reads a delta object: returns its {@code type}, records where each payload member's value lies. */
    private static String readDelta(JsonParser p, int[] from, int[] to) throws IOException {
        String type = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            Payload payload = Payload.ofMember(name);
            if ("type".equals(name) && value == JsonToken.VALUE_STRING) {
                type = p.getText();
            } else if (payload != null) {
                from[payload.ordinal()] = tokenStart(p);
                finish(p, value);
                to[payload.ordinal()] = currentOffset(p);
            } else {
                p.skipChildren();
            }
        }
        return type;
    }

    /** {@code message_delta}: its {@code delta} members replace the envelope's, its usage merges. */
    static void messageDelta(MessageDraft draft, byte[] data, int length)
            throws IOException, StreamFormatException {
        try (JsonParser p = open(data, length)) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT && ("delta".equals(name) || "usage".equals(name))) {
                    boolean usage = "usage".equals(name);
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String member = p.currentName();
                        p.nextToken();
                        RawJson raw = captureValue(p, data);
                        draft.hold(raw.length());
                        if (usage) {
                            draft.mergeUsage(member, raw);
                        } else {
                            draft.replace(member, raw);
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
        }
    }

    /** Reads the members of the object the parser is in into {@code into}; returns the bytes kept. */
    private static long readMembers(JsonParser p, byte[] data, LinkedHashMap<String, RawJson> into)
            throws IOException {
        long held = 0;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            RawJson raw = captureValue(p, data);
            held += raw.length();
            into.put(name, raw);
        }
        return held;
    }

    /** The value the parser is on, as the exact bytes of {@code data} it spans; leaves the parser after it. */
    static RawJson captureValue(JsonParser p, byte[] data) throws IOException {
        int start = tokenStart(p);
        finish(p, p.currentToken());
        return RawJson.copyOf(data, start, currentOffset(p));
    }

    private static void finish(JsonParser p, JsonToken value) throws IOException {
        if (value.isStructStart()) {
            p.skipChildren();
        } else {
            p.finishToken();
        }
    }

    /** A parser on the data's top-level object; offsets are indexes into {@code data}. */
    private static JsonParser open(byte[] data, int length) throws IOException, StreamFormatException {
        JsonParser p = JsonParsers.over(data, 0, length);
        if (p.nextToken() != JsonToken.START_OBJECT) {
            p.close();
            throw new StreamFormatException("event data is not a JSON object");
        }
        return p;
    }

    private static int tokenStart(JsonParser p) {
        return Math.toIntExact(p.currentTokenLocation().getByteOffset());
    }

    private static int currentOffset(JsonParser p) {
        return Math.toIntExact(p.currentLocation().getByteOffset());
    }
}
