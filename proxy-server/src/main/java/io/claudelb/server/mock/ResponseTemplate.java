package io.claudelb.server.mock;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Response bytes computed once, with holes for the few per-request values ({@link Slot}). {@link MessagePlan}
 * writes each body or SSE event with jackson-core once, putting a marker {@code @@SLOT@@} where a per-request value
 * goes; {@link #compile} splits the bytes at the markers, and {@link #render} copies the pieces and the values into
 * one pooled buffer. So a request costs a few memory copies, not a JSON serialisation.
 */
final class ResponseTemplate {

    /** A per-request value, written from {@link RequestFacts}. */
    enum Slot {
        /** The 16 hex digits of the body hash (inside {@code msg_mock_...} and {@code toolu_mock_...} ids). */
        HASH,
        /** The request's model as a JSON string literal, quotes included. */
        MODEL,
        /** The mock input-token figure, a JSON number. */
        INPUT_TOKENS;

        final String marker = "@@" + name() + "@@";
    }

    private final byte[][] literals;
    private final Slot[] slots;
    private final int literalBytes;

    private ResponseTemplate(byte[][] literals, Slot[] slots) {
        this.literals = literals;
        this.slots = slots;
        this.literalBytes = Arrays.stream(literals).mapToInt(l -> l.length).sum();
    }

    /** Splits ASCII-marked bytes at every {@code @@SLOT@@}; text without markers becomes a single literal. */
    static ResponseTemplate compile(byte[] marked) {
        String text = new String(marked, StandardCharsets.ISO_8859_1); // one char per byte, so indexes are offsets
        List<byte[]> literals = new ArrayList<>();
        List<Slot> slots = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = -1;
            Slot found = null;
            for (Slot slot : Slot.values()) {
                int i = text.indexOf(slot.marker, from);
                if (i >= 0 && (at < 0 || i < at)) {
                    at = i;
                    found = slot;
                }
            }
            if (found == null) {
                literals.add(Arrays.copyOfRange(marked, from, marked.length));
                return new ResponseTemplate(literals.toArray(new byte[0][]), slots.toArray(new Slot[0]));
            }
            literals.add(Arrays.copyOfRange(marked, from, at));
            slots.add(found);
            from = at + found.marker.length();
        }
    }

    /** True when the bytes are the same for every request. */
    boolean isConstant() {
        return slots.length == 0;
    }

    /** Bytes of the rendered template for these facts. */
    int size(RequestFacts facts) {
        int size = literalBytes;
        for (Slot slot : slots) {
            size += switch (slot) {
                case HASH -> facts.bodyHash().length();
                case MODEL -> facts.quotedModel().length;
                case INPUT_TOKENS -> 10;
            };
        }
        return size;
    }

    /** A new buffer (the caller owns it) holding the template with the facts filled in. */
    ByteBuf render(ByteBufAllocator alloc, RequestFacts facts) {
        ByteBuf out = alloc.buffer(size(facts));
        for (int i = 0; i < slots.length; i++) {
            out.writeBytes(literals[i]);
            switch (slots[i]) {
                case HASH -> out.writeCharSequence(facts.bodyHash(), StandardCharsets.US_ASCII);
                case MODEL -> out.writeBytes(facts.quotedModel());
                case INPUT_TOKENS -> out.writeCharSequence(Integer.toString(facts.inputTokens()),
                        StandardCharsets.US_ASCII);
            }
        }
        out.writeBytes(literals[slots.length]);
        return out;
    }
}
