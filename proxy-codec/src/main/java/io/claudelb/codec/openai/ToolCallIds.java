package io.claudelb.codec.openai;

/**
 * Tool-use ids for translated responses. Provider ids are kept but limited to {@code [A-Za-z0-9_-]}, the pattern
 * Anthropic enforces on {@code tool_use.id}, so the conversation stays valid if a later turn is routed to an
 * Anthropic upstream (some providers use ids such as {@code functions.get_weather:0}). The same id goes back to the
 * provider as {@code tool_call_id} in the next request, and providers accept any string there.
 */
final class ToolCallIds {

    private ToolCallIds() {
    }

    /** {@code providerId} with every character outside {@code [A-Za-z0-9_-]} replaced by {@code _}; null if empty. */
    static String sanitize(String providerId) {
        if (providerId == null || providerId.isEmpty()) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < providerId.length(); i++) {
            char c = providerId.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
            if (!ok && out == null) {
                out = new StringBuilder(providerId.length()).append(providerId, 0, i);
            }
            if (out != null) {
                out.append(ok ? c : '_');
            }
        }
        return out == null ? providerId : out.toString();
    }

    /**
     * A deterministic id for a tool call the provider gave no id for: {@code toolu_<seed>_<ordinal>}, unique within
     * the response because {@code ordinal} is, and across responses because the message id {@code seed} is.
     */
    static String generate(String seed, int ordinal) {
        String base = seed.startsWith("msg_") ? seed.substring(4) : seed;
        String clean = sanitize(base);
        return "toolu_" + (clean == null ? "gen" : clean) + "_" + ordinal;
    }
}
