package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What the mock takes from a model request body: the {@code model} to echo, whether it asked for a stream, a hash
 * of the body (the deterministic message id) and a mock input-token figure. Read with jackson-core's streaming
 * parser, top-level fields only, without building a tree.
 *
 * @param bodyHash 16 lower-case hex digits of a 64-bit hash of the body bytes
 * @param quotedModel the model as a JSON string literal, quotes included, ready to splice into a template
 * @param stream true when the body has {@code "stream": true}
 * @param inputTokens a mock figure: body length in bytes / 4
 * @param lastTurnIsToolResult the last message is the user's and carries a {@code tool_result} block: the caller
 *     ran the tool the previous answer asked for, so the mock ends the turn with text instead of asking again
 *     (a client such as Claude Code would otherwise loop on a {@code --tool-use} mock forever)
 */
record RequestFacts(String bodyHash, byte[] quotedModel, boolean stream, int inputTokens,
        boolean lastTurnIsToolResult) {
    private static final String DEFAULT_MODEL = "claude-mock";

    /** Parses the body; throws {@link IOException} when it is not a JSON object. */
    static RequestFacts of(ByteBuf body) throws IOException {
        String model = DEFAULT_MODEL;
        boolean stream = false;
        boolean toolResult = false;
        try (JsonParser parser = parserFor(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("request body is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("model".equals(field) && value == JsonToken.VALUE_STRING) {
                    model = parser.getText();
                } else if ("stream".equals(field)) {
                    stream = value == JsonToken.VALUE_TRUE;
                } else if ("messages".equals(field) && value == JsonToken.START_ARRAY) {
                    toolResult = lastTurnIsToolResult(parser);
                } else {
                    parser.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IOException("request body is not a complete JSON object");
            }
        }
        return new RequestFacts(hash(body), quote(model), stream, inputTokens(body), toolResult);
    }

    /** Reads the {@code messages} array (the parser on its start): whether the last one is a user tool result. */
    private static boolean lastTurnIsToolResult(JsonParser parser) throws IOException {
        boolean last = false;
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            boolean user = false;
            boolean toolResult = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("role".equals(field) && value == JsonToken.VALUE_STRING) {
                    user = "user".equals(parser.getText());
                } else if ("content".equals(field) && value == JsonToken.START_ARRAY) {
                    toolResult = hasToolResult(parser);
                } else {
                    parser.skipChildren();
                }
            }
            last = user && toolResult;
        }
        return last;
    }

    /** Reads a content array (the parser on its start): whether a block has {@code "type": "tool_result"}. */
    private static boolean hasToolResult(JsonParser parser) throws IOException {
        boolean found = false;
        for (JsonToken block = parser.nextToken(); block != JsonToken.END_ARRAY; block = parser.nextToken()) {
            if (block != JsonToken.START_OBJECT) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING && "tool_result".equals(parser.getText())) {
                    found = true;
                } else {
                    parser.skipChildren();
                }
            }
        }
        return found;
    }

    /** The same facts for a request whose model and mode are in its path (Bedrock, Vertex), not its body. */
    RequestFacts withModel(String model, boolean streaming) {
        return new RequestFacts(bodyHash, quote(model), streaming, inputTokens, lastTurnIsToolResult);
    }

    private static JsonParser parserFor(ByteBuf body) throws IOException {
        if (body.hasArray()) {
            return JsonBytes.FACTORY.createParser(body.array(), body.arrayOffset() + body.readerIndex(),
                    body.readableBytes());
        }
        InputStream in = new ByteBufInputStream(body.duplicate());
        return JsonBytes.FACTORY.createParser(in);
    }

    /** The mock's token figure for a body: its length in bytes / 4. */
    static int inputTokens(ByteBuf body) {
        return body.readableBytes() / 4;
    }

    private static byte[] quote(String value) {
        byte[] escaped = JsonStringEncoder.getInstance().quoteAsUTF8(value);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }

    /** A 64-bit multiply-xorshift hash over the readable bytes, eight at a time; stable across runs and JVMs. */
    static String hash(ByteBuf body) {
        int index = body.readerIndex();
        int end = body.writerIndex();
        long h = 0x9E3779B97F4A7C15L ^ (end - index);
        for (; index + 8 <= end; index += 8) {
            h = mix(h ^ body.getLongLE(index));
        }
        for (; index < end; index++) {
            h = mix(h ^ (body.getByte(index) & 0xFF));
        }
        String hex = Long.toHexString(h);
        return "0".repeat(16 - hex.length()) + hex;
    }

    private static long mix(long h) {
        h *= 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 31);
    }
}
