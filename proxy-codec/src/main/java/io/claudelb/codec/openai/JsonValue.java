package io.claudelb.codec.openai;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A minimal immutable JSON tree for the translated (OpenAI) routes, the one place claude-lb re-serialises bodies.
 * Built by {@link JsonTree#parse} from jackson-core's streaming parser; jackson-databind is not used.
 *
 * <p>Numbers keep their source text so they are written back exactly as the client sent them (no double rounding
 * of {@code temperature} or of numbers inside tool inputs). Accessors never throw: asking a non-object for a field
 * or a non-string for its text gives {@code null}, so callers validate shape explicitly where it matters.
 */
sealed interface JsonValue {

    /** The field's value when this is an object that has it, else null. */
    default JsonValue get(String name) {
        return null;
    }

    /** The text when this is a string, else null. */
    default String text() {
        return null;
    }

    /** The text of field {@code name} when it is a string, else null. */
    default String textOf(String name) {
        JsonValue value = get(name);
        return value == null ? null : value.text();
    }

    /** A JSON object; field order is the source order (a repeated key keeps its last value). */
    record Obj(Map<String, JsonValue> fields) implements JsonValue {
        public Obj {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }

        @Override
        public JsonValue get(String name) {
            return fields.get(name);
        }
    }

    /** A JSON array. */
    record Arr(List<JsonValue> items) implements JsonValue {
        public Arr {
            items = List.copyOf(items);
        }
    }

    /** A JSON string. */
    record Str(String value) implements JsonValue {
        public Str {
            Objects.requireNonNull(value, "value");
        }

        @Override
        public String text() {
            return value;
        }
    }

    /** A JSON number, kept as its source text. */
    record Num(String source) implements JsonValue {
        public Num {
            Objects.requireNonNull(source, "source");
        }

        /** The value as a long when it is an integral number that fits, else {@code fallback}. */
        public long longValue(long fallback) {
            try {
                return Long.parseLong(source);
            } catch (NumberFormatException e) {
                try {
                    return new java.math.BigDecimal(source).longValueExact();
                } catch (ArithmeticException | NumberFormatException notIntegral) {
                    return fallback;
                }
            }
        }
    }

    /** {@code true} or {@code false}. */
    record Bool(boolean value) implements JsonValue {
    }

    /** {@code null}. */
    enum Null implements JsonValue {
        INSTANCE
    }

    /** The long value of {@code value} when it is an integral number, else {@code fallback}. */
    static long longOf(JsonValue value, long fallback) {
        return value instanceof Num num ? num.longValue(fallback) : fallback;
    }

    /** True when {@code value} is the JSON literal {@code true}. */
    static boolean isTrue(JsonValue value) {
        return value instanceof Bool bool && bool.value();
    }
}
