package io.claudelb.codec.message;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The message being assembled from one stream: the members of {@code message_start}'s {@code message} as they came
 * (id, type, role, model, and whatever else the API adds), its usage merged with every {@code message_delta}'s, the
 * {@code message_delta} members that replace envelope members ({@code stop_reason}, {@code stop_sequence}, and any
 * other the API sends there), and the content blocks by index.
 *
 * <p>Keeps count of the bytes it holds ({@link #hold}, called by {@link EventReader} for everything it keeps), so
 * the assembler can enforce its cap. The count only grows: a replaced value still counts, which errs on the safe
 * side.
 */
final class MessageDraft {
    private static final String CONTENT = "content";
    private static final String USAGE = "usage";

    private final LinkedHashMap<String, RawJson> envelope;
    /** The usage object member by member, or null when {@code message_start} had none (or not an object). */
    private LinkedHashMap<String, RawJson> usage;
    /** By stream index; the message lists them in index order, as the SDKs do. */
    private final TreeMap<Long, BlockDraft> blocks = new TreeMap<>();
    private long heldBytes;

    MessageDraft(LinkedHashMap<String, RawJson> envelope, LinkedHashMap<String, RawJson> usage) {
        this.envelope = envelope;
        this.usage = usage;
    }

    void hold(long bytes) {
        heldBytes += bytes;
    }

    long heldBytes() {
        return heldBytes;
    }

    void startBlock(long index, BlockDraft block) throws StreamFormatException {
        if (blocks.putIfAbsent(index, block) != null) {
            throw new StreamFormatException("content_block_start: index " + index + " started twice");
        }
    }

    BlockDraft block(long index, String event) throws StreamFormatException {
        BlockDraft block = blocks.get(index);
        if (block == null) {
            throw new StreamFormatException(event + ": index " + index + " has no content_block_start");
        }
        return block;
    }

    /** A member of {@code message_delta.delta}: replaces the envelope's member of that name (an explicit null too). */
    void replace(String name, RawJson value) {
        envelope.put(name, value);
    }

    /**
     * A member of {@code message_delta.usage}: a cumulative count for the whole message, so it replaces the earlier
     * one; a null leaves the earlier value standing (a count that does not apply).
     */
    void mergeUsage(String name, RawJson value) {
        if (value.isNull()) {
            return;
        }
        if (usage == null) {
            usage = new LinkedHashMap<>();
        }
        usage.put(name, value);
    }

    /** Writes the non-streaming Messages response body. */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, RawJson> member : envelope.entrySet()) {
            String name = member.getKey();
            if (CONTENT.equals(name)) {
                writeContent(g);
            } else if (USAGE.equals(name) && usage != null) {
                writeUsage(g);
            } else {
                g.writeFieldName(name);
                g.writeRawValue(member.getValue());
            }
        }
        if (!envelope.containsKey(CONTENT)) {
            writeContent(g);
        }
        if (!envelope.containsKey(USAGE) && usage != null) {
            writeUsage(g);
        }
        g.writeEndObject();
    }

    private void writeContent(JsonGenerator g) throws IOException {
        g.writeArrayFieldStart(CONTENT);
        for (BlockDraft block : blocks.values()) {
            block.write(g);
        }
        g.writeEndArray();
    }

    private void writeUsage(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart(USAGE);
        for (Map.Entry<String, RawJson> count : usage.entrySet()) {
            g.writeFieldName(count.getKey());
            g.writeRawValue(count.getValue());
        }
        g.writeEndObject();
    }
}
