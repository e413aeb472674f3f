package io.claudelb.core.stats;

import java.util.List;

/**
 * Everything {@code GET /stats} shows, frozen at one instant: one row per configured upstream in config order,
 * plus the affinity table's totals. Immutable.
 *
 * @param upstreams        per upstream, in config order
 * @param affinityEntries  sessions currently remembered by the affinity table
 * @param rebinds          sessions moved to another upstream since start (all upstreams)
 */
public record StatsSnapshot(List<UpstreamSnapshot> upstreams, long affinityEntries, long rebinds) {
    public StatsSnapshot {
        upstreams = List.copyOf(upstreams);
    }

    /** The row of one upstream, or null. */
    public UpstreamSnapshot upstream(String name) {
        for (UpstreamSnapshot u : upstreams) {
            if (u.name().equals(name)) {
                return u;
            }
        }
        return null;
    }
}
