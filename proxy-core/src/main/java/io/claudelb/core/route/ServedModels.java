package io.claudelb.core.route;

import java.util.Set;

/**
 * What the {@link Router} knows about the models each upstream serves, as last discovered (Databricks workspaces list
 * their serving endpoints). Read on the event loops for every routed request, so an implementation answers from
 * memory without locks; the discovery that fills it runs elsewhere.
 */
public interface ServedModels {
    /** Nothing discovered: every upstream's served set is unknown. */
    ServedModels UNKNOWN = upstream -> null;

    /** The model names {@code upstreamName} serves, or null when that is not known (yet). */
    Set<String> served(String upstreamName);

    /**
     * The router sent {@code served} to {@code upstreamName} instead of {@code wanted}, which that upstream lacks.
     * Called for every such request; an implementation that logs says so once per pair.
     */
    default void substituted(String upstreamName, String requested, String wanted, String served) {
    }
}
