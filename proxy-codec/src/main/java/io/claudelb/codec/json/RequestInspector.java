package io.claudelb.codec.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.Objects;

/**
 * Reads the routing facts out of an aggregated {@code POST /v1/messages} body in one streaming pass (jackson-core,
 * no tree): the top-level {@code model}, {@code stream}, {@code metadata.user_id} and {@code provider}, plus the
 * exact byte ranges {@link BodyRewriter} and {@link BodyDigest} need. Every other top-level value (messages, system, tools, images) is
 * passed over with {@code skipChildren()} and never turned into strings.
 *
 * <p>Only top-level members count: a {@code "model"} key inside {@code messages} or {@code tools} is ignored. The
 * whole body is still checked to be one well-formed JSON object with nothing after it. A second top-level
 * {@code model} or {@code provider} member is rejected, because JSON parsers disagree on which duplicate wins and the
 * proxy must route on the same value the upstream will read. For a duplicated {@code stream} or {@code metadata} the
 * last one wins, as in most parsers.
 *
 * <p>The body is neither moved nor released. Offsets in the result are relative to its readerIndex.
 */
public final class RequestInspector {
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
        if (!body.isReadable()) {
            throw new InvalidRequestException("Request body is empty; expected a JSON object.");
        }
        try (JsonParser parser = JsonParsers.over(body)) {
            return new Pass(parser, body).run();
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("Request body is not valid JSON: " + clip(e.getOriginalMessage()));
        } catch (IOException e) {
            // Only reachable through the stream path, whose source is memory: treat like malformed input.
            throw new InvalidRequestException("Request body could not be read as JSON.");
        }
    }

    /** One inspection's mutable state; the parser is positioned on top-level tokens between calls. */
    private static final class Pass {
        private final JsonParser parser;
        private final ByteBuf body;
        private String model;
        private int modelStart = -1;
        private int modelEnd = -1;
        private boolean stream;
        private String userId;
        private String provider;
        private final MemberRange providerRange = new MemberRange();
        private final MemberRange streamRange = new MemberRange();

        Pass(JsonParser parser, ByteBuf body) {
            this.parser = parser;
            this.body = body;
        }

        RequestInfo run() throws IOException, InvalidRequestException {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("Request body must be a JSON object.");
            }
            if (parser.currentTokenLocation().getByteOffset() < 0) {
                // jackson detected UTF-16/32 and fell back to a char-based parser: byte offsets are unknown.
                throw new InvalidRequestException("Request body must be UTF-8 encoded JSON.");
            }
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                int keyStart = tokenStart();
                // A member whose range is open is followed by another: the range ends where this one starts.
                providerRange.nextMemberAt(keyStart);
                streamRange.nextMemberAt(keyStart);
                member(parser.currentName(), parser.nextToken(), keyStart);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new InvalidRequestException("Request body is not valid JSON.");
            }
            providerRange.objectEndsAt(tokenStart());
            streamRange.objectEndsAt(tokenStart());
            if (parser.nextToken() != null) {
                throw new InvalidRequestException("Request body must be a single JSON object.");
            }
            if (model == null) {
                throw new InvalidRequestException("model: field required");
            }
            return new RequestInfo(model, modelStart, modelEnd, stream, userId, provider, providerRange.start,
                    providerRange.end, streamRange.start, streamRange.end);
        }

        private void member(String name, JsonToken value, int keyStart) throws IOException, InvalidRequestException {
            switch (name) {
                case "model" -> {
                    if (model != null) {
                        throw new InvalidRequestException("model: must appear only once");
                    }
                    if (value != JsonToken.VALUE_STRING) {
                        throw new InvalidRequestException("model: must be a string");
                    }
                    modelStart = tokenStart();
                    model = parser.getText();
                    // getText() consumed the closing quote, so the current location is just past the token.
                    modelEnd = currentOffset();
                }
                case "stream" -> {
                    stream = value == JsonToken.VALUE_TRUE;
                    parser.skipChildren();
                    // A duplicate stream member: the last one wins, and only it is left out of the digest.
                    streamRange.reset();
                    streamRange.open(keyStart);
                }
                case "metadata" -> {
                    userId = null;
                    if (value == JsonToken.START_OBJECT) {
                        readMetadata();
                    } else {
                        parser.skipChildren();
                    }
                }
                case "provider" -> {
                    if (providerRange.seen()) {
                        throw new InvalidRequestException("provider: must appear only once");
                    }
                    provider = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    parser.skipChildren();
                    providerRange.open(keyStart);
                }
                default -> parser.skipChildren();
            }
        }

        private void readMetadata() throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("user_id".equals(name)) {
                    userId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                }
                parser.skipChildren();
            }
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

        private byte byteAt(int offset) {
            return body.getByte(body.readerIndex() + offset);
        }

        private int tokenStart() {
            return Math.toIntExact(parser.currentTokenLocation().getByteOffset());
        }

        private int currentOffset() {
            return Math.toIntExact(parser.currentLocation().getByteOffset());
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
