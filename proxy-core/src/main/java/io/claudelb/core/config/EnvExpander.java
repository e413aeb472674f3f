package io.claudelb.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Expands environment references in one config string for {@link ConfigLoader}: {@code ${NAME}},
 * {@code ${NAME:-default}} (default when unset or empty), {@code ${NAME-default}} (default only when unset); a
 * default may itself hold references, and <code>$${</code> is a literal <code>${</code>. An unset variable with no default
 * becomes the empty string; the result lists such variables so a required key left empty can name them.
 */
final class EnvExpander {
    /**
     * @param value          the expanded text
     * @param emptyVariables one phrase per variable that expanded to nothing ("environment variable X is not set")
     */
    record Result(String value, List<String> emptyVariables) {
        Result {
            emptyVariables = List.copyOf(emptyVariables);
        }
    }

    private static final String SYNTAX = "(expected ${NAME}, ${NAME:-default} or $${ for a literal ${)";

    private final Map<String, String> env;

    EnvExpander(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Expands {@code text}; a malformed reference is a {@link ConfigException} for {@code key}. */
    Result expand(String key, String text) {
        if (text.indexOf('$') < 0) {
            return new Result(text, List.of());
        }
        List<String> empty = new ArrayList<>();
        String value = expandRange(key, text, 0, text.length(), empty);
        return new Result(value, empty);
    }

    private String expandRange(String key, String text, int from, int to, List<String> empty) {
        StringBuilder out = new StringBuilder(to - from);
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '$' && text.startsWith("$${", i) && i + 3 <= to) {
                out.append("${");
                i += 3;
            } else if (c == '$' && i + 1 < to && text.charAt(i + 1) == '{') {
                int close = matchingBrace(text, i + 2, to);
                if (close < 0) {
                    // Never echo the text: the value may be a credential.
                    throw new ConfigException(key, "unterminated ${ " + SYNTAX);
                }
                out.append(reference(key, text, i + 2, close, empty));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Index of the '}' closing a reference whose body starts at {@code from}, honouring nested references. */
    private static int matchingBrace(String text, int from, int to) {
        int depth = 1;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < to && text.charAt(i + 1) == '{') {
                depth++;
                i++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private String reference(String key, String text, int from, int to, List<String> empty) {
        int nameEnd = from;
        while (nameEnd < to && isNameChar(text.charAt(nameEnd), nameEnd == from)) {
            nameEnd++;
        }
        if (nameEnd == from) {
            throw new ConfigException(key, "invalid ${...} reference " + SYNTAX);
        }
        String name = text.substring(from, nameEnd);
        String value = env.get(name);
        if (nameEnd == to) {
            if (value == null || value.isEmpty()) {
                empty.add("environment variable " + name + (value == null ? " is not set" : " is empty"));
                return "";
            }
            return value;
        }
        boolean colon = text.startsWith(":-", nameEnd);
        if (!colon && text.charAt(nameEnd) != '-') {
            throw new ConfigException(key, "invalid ${" + name + "...} reference " + SYNTAX);
        }
        int defaultStart = nameEnd + (colon ? 2 : 1);
        boolean useDefault = colon ? value == null || value.isEmpty() : value == null;
        return useDefault ? expandRange(key, text, defaultStart, to, empty) : value;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9';
    }
}
