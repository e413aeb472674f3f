package io.claudelb.server.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads one value at a dotted path of a JSON document (tests only; jackson-core streaming). A numeric path part
 * indexes an array ({@code content.0.type}).
 */
public final class Json {
    private static final JsonFactory FACTORY = new JsonFactory();

    private Json() {
    }

    /** The scalar value at {@code path} (e.g. "error.type", "content.1.text") as text, or null. */
    public static String field(String json, String path) {
        String[] parts = path.split("\\.");
        try (JsonParser p = FACTORY.createParser(json)) {
            return find(p, parts, 0, p.nextToken());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String find(JsonParser p, String[] parts, int depth, JsonToken token) throws IOException {
        if (token == JsonToken.START_ARRAY && parts[depth].chars().allMatch(Character::isDigit)) {
            int wanted = Integer.parseInt(parts[depth]);
            int index = 0;
            for (JsonToken item = p.nextToken(); item != JsonToken.END_ARRAY; item = p.nextToken(), index++) {
                if (index == wanted) {
                    if (depth == parts.length - 1) {
                        return item.isScalarValue() ? p.getValueAsString() : null;
                    }
                    return find(p, parts, depth + 1, item);
                }
                p.skipChildren();
            }
            return null;
        }
        if (token != JsonToken.START_OBJECT) {
            return null;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (name.equals(parts[depth])) {
                if (depth == parts.length - 1) {
                    return value.isScalarValue() ? p.getValueAsString() : null;
                }
                return find(p, parts, depth + 1, value);
            }
            p.skipChildren();
        }
        return null;
    }
}
