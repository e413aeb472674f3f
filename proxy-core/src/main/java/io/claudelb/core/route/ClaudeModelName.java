package io.claudelb.core.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Claude model name taken apart: family ({@code opus}, {@code sonnet}, {@code haiku}), version numbers and the name
 * without its date. Both of Anthropic's schemes are read: {@code claude-opus-4-7-20260101} (family first) and
 * {@code claude-3-7-sonnet-20250219} (version first). A prefix before {@code claude-} (Databricks'
 * {@code databricks-}, {@code system.ai.}) is skipped, so served endpoint names parse the same way.
 *
 * @param family  lower-case family word
 * @param version version numbers in order, e.g. {@code [4, 7]}; compared numerically by {@link #newerThan}
 * @param base    the name from {@code claude-} on, lower case, without a date suffix: {@code claude-opus-4-7}
 */
public record ClaudeModelName(String family, List<Integer> version, String base) {
    private static final List<String> FAMILIES = List.of("opus", "sonnet", "haiku");
    private static final String CLAUDE = "claude-";

    public ClaudeModelName {
        version = List.copyOf(version);
    }

    /** The parts of {@code name}, or null when it is not a Claude model name with a family and a version. */
    public static ClaudeModelName parse(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int start = lower.indexOf(CLAUDE);
        if (start < 0) {
            return null;
        }
        String[] parts = lower.substring(start + CLAUDE.length()).split("-", -1);
        String family = null;
        List<Integer> version = new ArrayList<>();
        boolean versionEnded = false;
        StringBuilder base = new StringBuilder("claude");
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && isDate(part)) {
                break;
            }
            if (family == null && FAMILIES.contains(part)) {
                family = part;
                versionEnded = !version.isEmpty();
            } else if (isSmallNumber(part) && !versionEnded) {
                version.add(Integer.parseInt(part));
            } else {
                return null;
            }
            base.append('-').append(part);
        }
        if (family == null || version.isEmpty()) {
            return null;
        }
        return new ClaudeModelName(family, version, base.toString());
    }

    private static boolean isDate(String part) {
        return part.length() == 8 && part.chars().allMatch(Character::isDigit);
    }

    private static boolean isSmallNumber(String part) {
        return !part.isEmpty() && part.length() <= 3 && part.chars().allMatch(Character::isDigit);
    }

    /** Whether this version is higher than {@code other}'s (4-7 > 4-6 > 4 ; 4-1 > 4). */
    public boolean newerThan(ClaudeModelName other) {
        for (int i = 0; i < Math.max(version.size(), other.version.size()); i++) {
            int mine = i < version.size() ? version.get(i) : 0;
            int theirs = i < other.version.size() ? other.version.get(i) : 0;
            if (mine != theirs) {
                return mine > theirs;
            }
        }
        return false;
    }
}
