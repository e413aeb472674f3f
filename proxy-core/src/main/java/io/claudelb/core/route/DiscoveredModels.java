package io.claudelb.core.route;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ServedModels} a running gateway shares across config snapshots: each upstream's served names as its
 * discovery task last read them, replaced whole (an immutable set) so a reader sees one listing or the next, never a
 * mix. Substitutions are logged once per (upstream, requested model), up to {@value #MAX_LOGGED} pairs so a client
 * sending made-up names cannot grow it without bound. Thread-safe; reads are one map lookup.
 */
public final class DiscoveredModels implements ServedModels {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredModels.class);
    static final int MAX_LOGGED = 1024;

    private final Map<String, Set<String>> served = new ConcurrentHashMap<>();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    @Override
    public Set<String> served(String upstreamName) {
        return served.get(upstreamName);
    }

    /** Replaces what {@code upstreamName} serves (a discovery pass succeeded). */
    public void update(String upstreamName, Set<String> names) {
        served.put(upstreamName, Set.copyOf(names));
    }

    /** Forgets an upstream (removed by a reload, or its discovery turned off): back to unknown. */
    public void forget(String upstreamName) {
        served.remove(upstreamName);
    }

    /** Every upstream with a known listing and what it serves (for /providers and /v1/models). */
    public Map<String, Set<String>> snapshot() {
        return Map.copyOf(served);
    }

    @Override
    public void substituted(String upstreamName, String requested, String wanted, String servedName) {
        String key = upstreamName + '\n' + requested;
        if (logged.size() < MAX_LOGGED && logged.add(key)) {
            LOG.info("upstream {}: serves no {}, so {} goes to {}, the newest of its family there (logged once)",
                    upstreamName, wanted, requested, servedName);
        }
    }
}
