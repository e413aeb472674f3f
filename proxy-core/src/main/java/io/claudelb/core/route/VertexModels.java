package io.claudelb.core.route;

/**
 * The model a {@code vertex} target with no explicit model is sent. Vertex AI names Claude models as Anthropic does,
 * except that a dated version is written with {@code @}: {@code claude-sonnet-4-5-20250929} is
 * {@code claude-sonnet-4-5@20250929} there. So a name ending in {@code -YYYYMMDD} gets its date after an {@code @};
 * every other name (an undated alias such as {@code claude-opus-4-7}, or one already in Vertex's form) is kept.
 */
public final class VertexModels {
    private static final int DATE_LENGTH = 8;

    private VertexModels() {
    }

    public static String toVertex(String requested) {
        int dash = requested.length() - DATE_LENGTH - 1;
        if (dash <= 0 || requested.charAt(dash) != '-' || requested.indexOf('@') >= 0) {
            return requested;
        }
        for (int i = dash + 1; i < requested.length(); i++) {
            if (!Character.isDigit(requested.charAt(i))) {
                return requested;
            }
        }
        return requested.substring(0, dash) + '@' + requested.substring(dash + 1);
    }
}
