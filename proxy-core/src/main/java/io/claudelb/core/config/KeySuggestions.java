package io.claudelb.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * The "did you mean" part of an unknown-key error: the closest known key by edit distance (case, '_' and '-'
 * ignored; a swap of two neighbours counts as one edit), or the list of known keys when none is close.
 */
final class KeySuggestions {
    private KeySuggestions() {
    }

    static String hint(String unknown, Collection<String> known) {
        return hint(unknown, known, "known keys here");
    }

    /** As {@link #hint(String, Collection)}; {@code listLabel} introduces the full list ("upstreams"). */
    static String hint(String unknown, Collection<String> known, String listLabel) {
        String target = normalize(unknown);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = distance(target, normalize(candidate));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int limit = Math.max(1, Math.min(3, target.length() / 3));
        if (best != null && bestDistance <= limit) {
            return "did you mean '" + best + "'?";
        }
        return listLabel + ": " + String.join(", ", new TreeSet<>(known));
    }

    private static String normalize(String key) {
        return key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transposition). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
