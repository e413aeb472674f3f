package io.claudelb.server.support;

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
 * A JSON value read into maps and lists with jackson-core (tests only; the project has no databind), for assertions
 * on answers, error bodies, admin responses and SSE data. {@link #parse} rejects invalid or trailing input, so it
 * also checks validity. Paths are dotted steps of member names and array indexes: {@code error.type},
 * {@code content.1.text}, {@code endpoints.0.in_flight}.
 */
public record Json(Object value) {
    private static final JsonFactory FACTORY = new JsonFactory();

    public static Json parse(String text) {
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

    /**
     * The scalar at {@code path} of the document {@code json} as text (numbers and booleans as written by
     * {@link String#valueOf}), or null when the path is absent, leads to a JSON null, or ends at an object or array.
     */
    public static String field(String json, String path) {
        Json document = parse(json);
        if (!document.has(path)) {
            return null;
        }
        Object value = document.at(path);
        boolean scalar = value instanceof String || value instanceof Number || value instanceof Boolean;
        return scalar ? value.toString() : null;
    }

    private static Object read(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    map.put(name, read(p, p.nextToken()));
                }
                return map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    list.add(read(p, t));
                }
                return list;
            }
            case VALUE_STRING -> {
                return p.getText();
            }
            case VALUE_NUMBER_INT -> {
                return p.getLongValue();
            }
            case VALUE_NUMBER_FLOAT -> {
                return p.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> throw new IOException("unexpected token " + token);
        }
    }

    /** The member at {@code path}; an absent member fails the test. */
    public Object at(String path) {
        Object node = value;
        for (String step : path.split("\\.")) {
            if (node instanceof Map<?, ?> map) {
                if (!map.containsKey(step)) {
                    throw new AssertionError("no member '" + step + "' of " + path + " in " + value);
                }
                node = map.get(step);
            } else if (node instanceof List<?> list) {
                node = list.get(Integer.parseInt(step));
            } else {
                throw new AssertionError("cannot step into '" + step + "' of " + path + " in " + value);
            }
        }
        return node;
    }

    public boolean has(String path) {
        try {
            at(path);
            return true;
        } catch (AssertionError | IndexOutOfBoundsException | NumberFormatException e) {
            return false;
        }
    }

    public String text(String path) {
        return (String) at(path);
    }

    public long number(String path) {
        return ((Number) at(path)).longValue();
    }

    public double decimal(String path) {
        return ((Number) at(path)).doubleValue();
    }

    public boolean bool(String path) {
        return (Boolean) at(path);
    }

    /** The sub-tree at {@code path}. */
    public Json tree(String path) {
        return new Json(at(path));
    }

    /** The elements of the array at {@code path}. */
    public List<Json> list(String path) {
        List<?> list = (List<?>) at(path);
        return list.stream().map(Json::new).toList();
    }

    /** The element of the array at {@code arrayPath} whose {@code name} member equals {@code name}. */
    public Json named(String arrayPath, String name) {
        return list(arrayPath).stream().filter(e -> name.equals(e.text("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no element named " + name + " in " + arrayPath + ": " + value));
    }
}
