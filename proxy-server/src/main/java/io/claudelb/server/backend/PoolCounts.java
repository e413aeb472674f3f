package io.claudelb.server.backend;

/**
 * Connection counts of one upstream's pools at one instant (for metrics).
 *
 * @param open    open plus connecting connections
 * @param idle    connections pooled, waiting for a request
 * @param pending acquires waiting for a connection
 */
public record PoolCounts(int open, int idle, int pending) {
    public static final PoolCounts NONE = new PoolCounts(0, 0, 0);

    public PoolCounts plus(PoolCounts other) {
        return new PoolCounts(open + other.open, idle + other.idle, pending + other.pending);
    }
}
