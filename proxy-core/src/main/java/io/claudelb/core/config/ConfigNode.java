package io.claudelb.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One YAML mapping of a config file, seen from its dotted path ({@code upstreams[1].pool}): typed getters that
 * expand {@code ${VAR}} in every string scalar and report any problem as a {@link ConfigException} naming the full
 * key. The YAML is parsed with every scalar kept as text (see {@link ConfigYaml}), so numbers, booleans and
 * durations are converted here, after expansion, and {@code port: ${PORT:-8000}} works like {@code port: 8000}.
 * An absent key and a key with no value ({@code key:}) both mean "use the default".
 *
 * <p>A problem that has a safe stand-in is {@linkplain ReadContext#report reported} and reading goes on: an unknown
 * key (ignored), a value of the wrong type or out of range (the default), a mapping or list that is not one
 * (empty). A missing required value throws: what follows cannot be read without it (see {@link ReadContext#part}).
 */
final class ConfigNode {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");
    private final ReadContext ctx;
    private final String path;
    private final Map<String, Object> values = new LinkedHashMap<>();

    ConfigNode(ReadContext ctx, String path, Map<?, ?> raw) {
        this.ctx = ctx;
        this.path = path;
        raw.forEach((k, v) -> values.put(String.valueOf(k), v));
    }

    String path() {
        return path;
    }

    /** Dotted path of a child key; keys that are not plain words (route patterns) are quoted. */
    String pathOf(String key) {
        if (!PLAIN_KEY.matcher(key).matches()) {
            return path + "['" + key + "']";
        }
        return path.isEmpty() ? key : path + "." + key;
    }

    boolean has(String key) {
        return values.get(key) != null;
    }

    /** Whether {@code key} holds a mapping (rather than a scalar or nothing). */
    boolean isMapping(String key) {
        return values.get(key) instanceof Map<?, ?>;
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** Keys in file order. */
    Set<String> keys() {
        return values.keySet();
    }

    /** Typo protection: each key not in {@code known} is an error suggesting the closest known key. */
    void allowOnly(Collection<String> known) {
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                ctx.report(new ConfigException(pathOf(key), "unknown key; " + KeySuggestions.hint(key, known)));
            }
        }
    }

    List<String> unknownKeys(Collection<String> known) {
        return values.keySet().stream().filter(k -> !known.contains(k)).toList();
    }

    ConfigException error(String key, String problem) {
        return ctx.explain(new ConfigException(pathOf(key), problem));
    }

    /** The expanded string, or null when absent (or not a single value, which is reported). */
    String string(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        try {
            return scalar(pathOf(key), raw);
        } catch (ConfigException e) {
            ctx.report(e);
            return null;
        }
    }

    String string(String key, String defaultValue) {
        String s = string(key);
        return s == null ? defaultValue : s;
    }

    /** A string that must be present and, after expansion, not blank. */
    String required(String key) {
        String s = string(key);
        if (s == null) {
            throw error(key, "is required");
        }
        if (s.isBlank()) {
            throw error(key, ctx.emptyHint(pathOf(key)).isEmpty() ? "must not be empty" : "is empty");
        }
        return s.trim();
    }

    Secret secret(String key) {
        return Secret.of(string(key));
    }

    int integer(String key, int defaultValue) {
        long v = longValue(key, defaultValue);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            ctx.report(error(key, "number " + v + " is out of range"));
            return defaultValue;
        }
        return (int) v;
    }

    long longValue(String key, long defaultValue) {
        String s = string(key);
        if (s == null) {
            return defaultValue;
        }
        try {
            return parseLong(pathOf(key), s);
        } catch (ConfigException e) {
            ctx.report(e);
            return defaultValue;
        }
    }

    long parseLong(String keyPath, String text) {
        String digits = text.trim().replace("_", "");
        try {
            return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
        } catch (NumberFormatException e) {
            throw ctx.explain(new ConfigException(keyPath, "expected a whole number, got '" + text + "'"));
        }
    }

    /** A decimal number ({@code 12.50}, {@code 3}), exactly as written; null when absent. */
    BigDecimal decimal(String key) {
        String s = string(key);
        if (s == null) {
            return null;
        }
        try {
            return new BigDecimal(s.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw error(key, "expected a number such as 3 or 0.75, got '" + s + "'");
        }
    }

    boolean bool(String key, boolean defaultValue) {
        String s = string(key);
        if (s == null) {
            return defaultValue;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> {
                ctx.report(error(key, "expected true or false, got '" + s + "'"));
                yield defaultValue;
            }
        };
    }

    Duration duration(String key, Duration defaultValue) {
        String s = string(key);
        try {
            return s == null ? defaultValue : Durations.parse(pathOf(key), s);
        } catch (ConfigException e) {
            ctx.report(e);
            return defaultValue;
        }
    }

    long size(String key, long defaultValue) {
        String s = string(key);
        try {
            return s == null ? defaultValue : ByteSizes.parse(pathOf(key), s);
        } catch (ConfigException e) {
            ctx.report(e);
            return defaultValue;
        }
    }

    /**
     * One of an enum's constants by its lower-case name ({@code least_requests}); '-' is accepted for '_'. An
     * unknown name is reported and gives {@code defaultValue}.
     */
    <E extends Enum<E>> E choice(String key, E[] constants, E defaultValue) {
        String s = string(key);
        if (s == null) {
            return defaultValue;
        }
        String wanted = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (E e : constants) {
            if (e.name().toLowerCase(Locale.ROOT).equals(wanted)) {
                return e;
            }
        }
        ctx.report(error(key, "unknown value '" + s + "'; expected one of " + Arrays.stream(constants)
                .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
        return defaultValue;
    }

    boolean isMap(String key) {
        return values.get(key) instanceof Map;
    }

    /** The child mapping; an absent key gives an empty node, so every key in it takes its default. */
    ConfigNode node(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return new ConfigNode(ctx, pathOf(key), Map.of());
        }
        if (raw instanceof Map<?, ?> map) {
            return new ConfigNode(ctx, pathOf(key), map);
        }
        ctx.report(error(key, "expected a mapping (key: value lines), got " + describe(raw)));
        return new ConfigNode(ctx, pathOf(key), Map.of());
    }

    /** A list of mappings ({@code upstreams:}); absent gives an empty list; an item that is no mapping is left out. */
    List<ConfigNode> nodes(String key) {
        List<?> list = list(key);
        List<ConfigNode> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String itemPath = pathOf(key) + "[" + i + "]";
            Object item = list.get(i);
            if (!(item instanceof Map<?, ?> map)) {
                ctx.report(new ConfigException(itemPath, "expected a mapping (key: value lines), got "
                        + describe(item)));
                continue;
            }
            out.add(new ConfigNode(ctx, itemPath, map));
        }
        return out;
    }

    /** A list of strings, each expanded; a single value counts as a one-element list; absent gives null. */
    List<String> strings(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return null;
        }
        if (!(raw instanceof List)) {
            return List.of(scalar(pathOf(key), raw));
        }
        List<?> list = (List<?>) raw;
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            String itemPath = pathOf(key) + "[" + i + "]";
            if (list.get(i) == null) {
                throw new ConfigException(itemPath, "is empty");
            }
            out.add(scalar(itemPath, list.get(i)));
        }
        return out;
    }

    private List<?> list(String key) {
        Object raw = values.get(key);
        if (raw == null) {
            return List.of();
        }
        if (raw instanceof List<?> list) {
            return list;
        }
        ctx.report(error(key, "expected a list (lines starting with '- '), got " + describe(raw)));
        return List.of();
    }

    private String scalar(String keyPath, Object raw) {
        if (raw instanceof Map || raw instanceof List || raw instanceof byte[]) {
            throw new ConfigException(keyPath, "expected a single value, got " + describe(raw));
        }
        return ctx.expand(keyPath, String.valueOf(raw));
    }

    private static String describe(Object raw) {
        if (raw == null) {
            return "nothing";
        }
        if (raw instanceof Map) {
            return "a mapping";
        }
        return raw instanceof List ? "a list" : "a single value";
    }
}
