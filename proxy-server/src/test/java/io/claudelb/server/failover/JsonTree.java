package io.claudelb.server.failover;

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
 * A JSON document read into maps and lists with jackson-core (the project has no databind), for assertions on
 * admin responses and error bodies. {@link #parse} rejects invalid or trailing input, so it also checks validity.
 */
record JsonTree(Object value) {
    private static final JsonFactory FACTORY = new JsonFactory();

    static JsonTree parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            Object value = read(parser, parser.nextToken());
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after JSON value: " + text);
            }
            return new JsonTree(value);
        } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON: " + text, e);
        }
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

    /** The member at a dotted path of names and list indexes, e.g. {@code "providers.0.name"}. */
    Object at(String path) {
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

    boolean has(String path) {
        try {
            at(path);
            return true;
        } catch (AssertionError | IndexOutOfBoundsException e) {
            return false;
        }
    }

    String text(String path) {
        return (String) at(path);
    }

    long number(String path) {
        return ((Number) at(path)).longValue();
    }

    double decimal(String path) {
        return ((Number) at(path)).doubleValue();
    }

    boolean bool(String path) {
        return (Boolean) at(path);
    }

    /** The sub-tree at {@code path}. */
    JsonTree tree(String path) {
        return new JsonTree(at(path));
    }

    /** The elements of the array at {@code path}. */
    List<JsonTree> list(String path) {
        List<?> list = (List<?>) at(path);
        return list.stream().map(JsonTree::new).toList();
    }

    /** The element of the array at {@code arrayPath} whose {@code name} member equals {@code name}. */
    JsonTree named(String arrayPath, String name) {
        return list(arrayPath).stream().filter(e -> name.equals(e.text("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no element named " + name + " in " + arrayPath + ": " + value));
    }
}
