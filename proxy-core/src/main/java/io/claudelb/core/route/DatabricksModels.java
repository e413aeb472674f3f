package io.claudelb.core.route;

import io.claudelb.core.config.DatabricksApi;
import io.claudelb.core.config.ModelMap;
import java.util.Set;

/**
 * The model a {@code databricks} target with no explicit model is sent. In order:
 * <ol>
 *   <li>a Databricks name ({@code databricks-*}, or {@code system.ai.*} on the AI Gateway) is kept;</li>
 *   <li>a Claude name becomes the Databricks name of the same family and version, date dropped
 *       ({@code claude-opus-4-7-20260101} -> {@code databricks-claude-opus-4-7}, or {@code system.ai.claude-opus-4-7});
 *       when the workspace's endpoints are known and it lacks that one, the newest endpoint of the family it does
 *       serve is used instead (a substitution, reported to {@link ServedModels#substituted});</li>
 *   <li>anything else (no family or no version in the name) goes through the family table
 *       ({@code databricks_models}, seed A's by default), the last resort.</li>
 * </ol>
 * Discovered names are the workspace's serving-endpoint names ({@code databricks-claude-*}); the AI Gateway serves the
 * same models as {@code system.ai.claude-*}. Stateless and thread-safe.
 */
public final class DatabricksModels {
    private static final String SERVING_PREFIX = DatabricksApi.SERVING_ENDPOINTS.modelPrefix();

    private DatabricksModels() {
    }

    /**
     * @param served the workspace's serving-endpoint names, or null when unknown
     * @return the model to send (never null)
     */
    public static String resolve(String requested, DatabricksApi api, ModelMap table, Set<String> served,
                                 String upstreamName, ServedModels report) {
        if (table.keeps(requested) || requested.startsWith(api.modelPrefix())) {
            return requested;
        }
        ClaudeModelName name = ClaudeModelName.parse(requested);
        if (name == null) {
            return inApi(table.map(requested), api);
        }
        String exact = SERVING_PREFIX + name.base();
        if (served == null || served.contains(exact)) {
            return inApi(exact, api);
        }
        String newest = newestOfFamily(name.family(), served);
        if (newest == null) {
            // The workspace serves nothing of this family: ask for the exact name and let it say so.
            return inApi(exact, api);
        }
        String chosen = inApi(newest, api);
        report.substituted(upstreamName, requested, inApi(exact, api), chosen);
        return chosen;
    }

    /** The served endpoint of {@code family} with the highest version, or null. */
    public static String newestOfFamily(String family, Set<String> served) {
        String best = null;
        ClaudeModelName bestName = null;
        for (String endpoint : served) {
            if (!endpoint.startsWith(SERVING_PREFIX)) {
                continue;
            }
            ClaudeModelName n = ClaudeModelName.parse(endpoint);
            if (n != null && n.family().equals(family) && (bestName == null || n.newerThan(bestName)
                    || !bestName.newerThan(n) && endpoint.compareTo(best) < 0)) {
                best = endpoint;
                bestName = n;
            }
        }
        return best;
    }

    /** A serving-endpoint name as {@code api} spells it. */
    static String inApi(String servingName, DatabricksApi api) {
        if (api == DatabricksApi.SERVING_ENDPOINTS || !servingName.startsWith(SERVING_PREFIX)) {
            return servingName;
        }
        return api.modelPrefix() + servingName.substring(SERVING_PREFIX.length());
    }
}
