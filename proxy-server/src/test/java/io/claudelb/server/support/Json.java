package io.claudelb.server.support;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads one scalar at a dotted path of a JSON document (tests only; jackson-core streaming). A path step is a member
 * name, or a number for an array element: {@code error.type}, {@code endpoints.0.in_flight}.
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
            int index = Integer.parseInt(parts[depth]);
            JsonToken element;
            for (int i = 0; (element = p.nextToken()) != JsonToken.END_ARRAY; i++) {
                if (i == index) {
                    if (depth == parts.length - 1) {
                        return element.isScalarValue() ? p.getValueAsString() : null;
                    }
                    return find(p, parts, depth + 1, element);
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
