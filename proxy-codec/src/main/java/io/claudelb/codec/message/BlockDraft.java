package io.claudelb.codec.message;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.claudelb.codec.json.JsonParsers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One content block being assembled: the members of its {@code content_block_start} as they came, and what its
 * deltas add. Every block kind is handled by the same rules, so a kind this code has never heard of passes through
 * whole, and a known delta on it still applies:
 * <ul>
 *   <li>{@code text_delta} and {@code thinking_delta} append to the {@code text} / {@code thinking} string;</li>
 *   <li>{@code signature_delta} sets {@code signature} (the API sends one, right before the block stops; the
 *       official SDKs set rather than append, and so does this);</li>
 *   <li>{@code citations_delta} appends its {@code citation} to {@code citations};</li>
 *   <li>{@code input_json_delta} parts are joined and parsed into {@code input} (an empty join is {@code {}}; a join
 *       that is not a JSON object, as when {@code max_tokens} cut a tool call, is {@code {}} too, as in the SDKs).
 *       A block without such deltas (a server tool call sent whole) keeps the {@code input} it started with.</li>
 * </ul>
 * Members keep their start order; a member only a delta brought comes last.
 */
final class BlockDraft {
    private static final String TEXT = "text";
    private static final String THINKING = "thinking";
    private static final String SIGNATURE = "signature";
    private static final String CITATIONS = "citations";
    private static final String INPUT = "input";

    private final LinkedHashMap<String, RawJson> members;
    /** Strings joined from deltas, by member name, still JSON-escaped; created at a member's first delta. */
    private final Map<String, ByteRun> joined = new HashMap<>(2);
    private List<RawJson> citations;
    private ByteRun partialJson;

    /** @param members the {@code content_block} object of {@code content_block_start}, member by member */
    BlockDraft(LinkedHashMap<String, RawJson> members) {
        this.members = members;
    }

    /** {@code text_delta}: appends escaped string content {@code data[from, to)} to {@code text}. */
    void appendText(byte[] data, int from, int to) {
        joined(TEXT).append(data, from, to);
    }

    /** {@code thinking_delta}: appends escaped string content {@code data[from, to)} to {@code thinking}. */
    void appendThinking(byte[] data, int from, int to) {
        joined(THINKING).append(data, from, to);
    }

    /** {@code signature_delta}: the signature, a JSON string, exactly as streamed. */
    void setSignature(RawJson signature) {
        members.put(SIGNATURE, signature);
    }

    /** {@code citations_delta}: one more citation object. */
    void addCitation(RawJson citation) throws IOException {
        if (citations == null) {
            citations = startCitations();
        }
        citations.add(citation);
    }

    /** {@code input_json_delta}: appends escaped string content {@code data[from, to)} to the tool input's JSON. */
    void appendPartialJson(byte[] data, int from, int to) {
        if (partialJson == null) {
            partialJson = new ByteRun();
        }
        partialJson.append(data, from, to);
    }

    /** Writes the block as the non-streaming message has it. */
    void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, RawJson> member : members.entrySet()) {
            String name = member.getKey();
            if (!isAssembled(name)) {
                g.writeFieldName(name);
                g.writeRawValue(member.getValue());
            } else {
                writeAssembled(g, name);
            }
        }
        for (String name : new String[] {TEXT, THINKING, CITATIONS, INPUT}) {
            if (isAssembled(name) && !members.containsKey(name)) {
                writeAssembled(g, name);
            }
        }
        g.writeEndObject();
    }

    private boolean isAssembled(String name) {
        return switch (name) {
            case TEXT, THINKING -> joined.containsKey(name);
            case CITATIONS -> citations != null;
            case INPUT -> partialJson != null;
            default -> false;
        };
    }

    private void writeAssembled(JsonGenerator g, String name) throws IOException {
        g.writeFieldName(name);
        switch (name) {
            case CITATIONS -> {
                g.writeStartArray();
                for (RawJson citation : citations) {
                    g.writeRawValue(citation);
                }
                g.writeEndArray();
            }
            case INPUT -> g.writeRawValue(input());
            default -> {
                ByteRun run = joined.get(name);
                g.writeRawUTF8String(run.array(), 0, run.length());
            }
        }
    }

    /** The joined string of a member, seeded with the start's value (normally empty) at the first delta. */
    private ByteRun joined(String name) {
        ByteRun run = joined.get(name);
        if (run == null) {
            run = new ByteRun();
            RawJson start = members.get(name);
            if (start != null && start.isString()) {
                run.append(start.bytes(), 1, start.length() - 1);
            }
            joined.put(name, run);
        }
        return run;
    }

    /** The citations the block started with (normally none), one raw value each. */
    private List<RawJson> startCitations() throws IOException {
        List<RawJson> list = new ArrayList<>();
        RawJson start = members.get(CITATIONS);
        if (start == null || !start.isArray()) {
            return list;
        }
        byte[] bytes = start.bytes();
        try (JsonParser parser = JsonParsers.over(bytes, 0, bytes.length)) {
            parser.nextToken();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(EventReader.captureValue(parser, bytes));
            }
        }
        return list;
    }

    /** The joined {@code input_json_delta} parts as a JSON object, or {@code {}}. */
    private RawJson input() {
        byte[] quoted = new byte[partialJson.length() + 2];
        quoted[0] = '"';
        System.arraycopy(partialJson.array(), 0, quoted, 1, partialJson.length());
        quoted[quoted.length - 1] = '"';
        String json;
        try (JsonParser parser = JsonParsers.over(quoted, 0, quoted.length)) {
            parser.nextToken();
            json = parser.getText();
        } catch (IOException e) {
            return RawJson.EMPTY_OBJECT;
        }
        return parsesAsObject(json) ? RawJson.ofText(json) : RawJson.EMPTY_OBJECT;
    }

    private static boolean parsesAsObject(String json) {
        try (JsonParser parser = JsonParsers.over(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
