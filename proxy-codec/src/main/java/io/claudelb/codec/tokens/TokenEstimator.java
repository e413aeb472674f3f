package io.claudelb.codec.tokens;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.JsonParsers;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A local estimate of a Messages request's input tokens, for {@code POST /v1/messages/count_tokens} when no upstream
 * of the route can count them. It is an <em>estimate</em>: Claude's tokenizer is not public, so text is counted with
 * OpenAI's {@code cl100k_base} encoding (jtokkit), which lands near Claude's counts for English and code. Seed B's
 * formula, read in one streaming pass over the body (jackson-core, no tree):
 * <ul>
 *   <li>{@code system}: a string, or the {@code text} of each block;</li>
 *   <li>each message: {@value #PER_MESSAGE} + tokens(role), plus its content: a string; {@code text} blocks;
 *       {@code tool_use}: tokens(name) + tokens(input as JSON); {@code tool_result}: its content (a string, or its
 *       blocks by these same rules); {@code image} and {@code document} blocks with a non-text source: a fixed
 *       {@value #IMAGE_TOKENS} each (the figure for a full-size image; the bytes are not decoded); a {@code document}
 *       with a text source: its text; {@code thinking} and other blocks: not counted;</li>
 *   <li>{@code tools} (when there are any): {@value #TOOLS_OVERHEAD}, plus per tool tokens(name) +
 *       tokens(description) + tokens(input_schema as JSON).</li>
 * </ul>
 * Everything else (model, max_tokens, thinking settings) is not counted. JSON fragments are tokenized as the client
 * sent them. Unexpected shapes are skipped, not rejected: the upstream judges requests, this only estimates.
 *
 * <p>Thread-safe. The encoding is loaded once, on first use of {@link #cl100k()}: call it at startup, off the event
 * loops.
 */
public final class TokenEstimator {
    /** Tokens for one image (or binary document): Anthropic's figure for a ~1.15 megapixel image. */
    public static final int IMAGE_TOKENS = 1600;
    /** Per-message overhead (role and separators), as seed B counted it. */
    public static final int PER_MESSAGE = 4;
    /** Overhead of a non-empty tools list, as seed B counted it. */
    public static final int TOOLS_OVERHEAD = 2;

    private final Encoding encoding;

    private static final class Holder {
        static final TokenEstimator CL100K = new TokenEstimator(
                Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE));
    }

    private TokenEstimator(Encoding encoding) {
        this.encoding = encoding;
    }

    /** The shared estimator over cl100k_base; the first call loads the encoding (a few hundred milliseconds). */
    public static TokenEstimator cl100k() {
        return Holder.CL100K;
    }

    /** Tokens of one piece of text (special-token markers count as ordinary text). */
    public int tokens(String text) {
        return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
    }

    /**
     * Estimates the input tokens of a Messages (or count_tokens) request body. The body is neither moved nor released.
     *
     * @throws InvalidRequestException when the body is not a JSON object
     */
    public int estimate(ByteBuf body) throws InvalidRequestException {
        Objects.requireNonNull(body, "body");
        try (JsonParser p = JsonParsers.over(body)) {
            return new Pass(p, body).run();
        } catch (IOException e) {
            throw new InvalidRequestException("Request body is not valid JSON.");
        }
    }

    /** One estimate's parser; every method returns the tokens of the value the parser is on. */
    private final class Pass {
        private final JsonParser p;
        private final ByteBuf body;

        Pass(JsonParser p, ByteBuf body) {
            this.p = p;
            this.body = body;
        }

        int run() throws IOException, InvalidRequestException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidRequestException("Request body must be a JSON object.");
            }
            int total = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                total += switch (name) {
                    case "system" -> textOrBlocks(value);
                    case "messages" -> messages(value);
                    case "tools" -> tools(value);
                    default -> skip();
                };
            }
            return total;
        }

        private int messages(JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                return skip();
            }
            int total = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                total += PER_MESSAGE;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    total += switch (name) {
                        case "role" -> string(v);
                        case "content" -> textOrBlocks(v);
                        default -> skip();
                    };
                }
            }
            return total;
        }

        /** A string, or an array of content blocks. */
        private int textOrBlocks(JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return tokens(p.getText());
            }
            if (value != JsonToken.START_ARRAY) {
                return skip();
            }
            int total = 0;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                total += t == JsonToken.START_OBJECT ? block() : string(t);
            }
            return total;
        }

        /** One content block; the parser is on its START_OBJECT. Fields may come in any order. */
        private int block() throws IOException {
            String type = null;
            int text = 0;
            int name = 0;
            int input = 0;
            String sourceType = null;
            String sourceData = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "type" -> {
                        type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                        p.skipChildren();
                    }
                    case "text" -> text += string(v);
                    case "name" -> name += string(v);
                    case "input" -> input += raw(v);
                    case "content" -> text += toolResultContent(v);
                    case "source" -> {
                        if (v == JsonToken.START_OBJECT) {
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String key = p.currentName();
                                JsonToken sv = p.nextToken();
                                if (key.equals("type") && sv == JsonToken.VALUE_STRING) {
                                    sourceType = p.getText();
                                } else if (key.equals("data") && sv == JsonToken.VALUE_STRING) {
                                    sourceData = p.getText();
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (type == null) {
                return text;
            }
            return switch (type) {
                case "text", "tool_result" -> text;
                case "tool_use", "server_tool_use" -> name + input;
                case "image" -> IMAGE_TOKENS;
                case "document" -> "text".equals(sourceType) ? tokens(sourceData) : IMAGE_TOKENS;
                default -> 0;
            };
        }

        /** A tool_result's content: a string, or blocks (text blocks as text, others by their own rule). */
        private int toolResultContent(JsonToken value) throws IOException {
            if (value == JsonToken.START_ARRAY) {
                return textOrBlocks(value);
            }
            return value == JsonToken.VALUE_STRING ? tokens(p.getText()) : raw(value);
        }

        private int tools(JsonToken value) throws IOException {
            if (value != JsonToken.START_ARRAY) {
                return skip();
            }
            int total = 0;
            boolean any = false;
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    continue;
                }
                any = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken v = p.nextToken();
                    total += switch (field) {
                        case "name", "description" -> string(v);
                        case "input_schema" -> raw(v);
                        default -> skip();
                    };
                }
            }
            return any ? total + TOOLS_OVERHEAD : total;
        }

        /** Tokens of a string value; any other value is skipped and counts nothing. */
        private int string(JsonToken value) throws IOException {
            return value == JsonToken.VALUE_STRING ? tokens(p.getText()) : skip();
        }

        /** Tokens of the value the parser is on, as the JSON text the client sent (a string: its text). */
        private int raw(JsonToken value) throws IOException {
            if (value == JsonToken.VALUE_STRING) {
                return tokens(p.getText());
            }
            long start = p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            long end = p.currentLocation().getByteOffset();
            if (start < 0 || end <= start) {
                return 0;
            }
            return tokens(body.toString(body.readerIndex() + (int) start, (int) (end - start),
                    StandardCharsets.UTF_8));
        }

        private int skip() throws IOException {
            p.skipChildren();
            return 0;
        }
    }
}
