package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value read into maps and lists with jackson-core, for test assertions (the project has no databind).
 * {@link #parse} fails on invalid or trailing input, so it doubles as a validity check.
 */
record Json(Object value) {
    private static final JsonFactory FACTORY = new JsonFactory();

    static Json parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = read(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after JSON value: " + text);
            }
            return new Json(value);
        } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON: " + text, e);
        }
    }

    private static Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, t));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getLongValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IOException("unexpected token " + token);
        }
    }

    /** The member at a dotted path of names and list indexes, e.g. {@code "content.1.text"}. */
    Object at(String path) {
        Object node = value;
        for (String step : path.split("\\.")) {
            if (node instanceof Map<?, ?> map) {
                if (!map.containsKey(step)) {
                    throw new AssertionError("no member '" + step + "' in " + path + " of " + value);
                }
                node = map.get(step);
            } else if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(step));
            } else {
                throw new AssertionError("cannot step into " + step + " of " + path + " in " + value);
            }
        }
        return node;
    }

    String text(String path) {
        return (String) at(path);
    }

    long number(String path) {
        return (Long) at(path);
    }

    boolean has(String path) {
        try {
            at(path);
            return true;
        } catch (AssertionError | IndexOutOfBoundsException e) {
            return false;
        }
    }
}
