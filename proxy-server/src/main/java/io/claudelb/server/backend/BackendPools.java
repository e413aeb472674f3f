package io.claudelb.server.backend;

import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.netty.channel.EventLoop;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * All backend pools: one per (upstream, event loop). The outer map is touched once per loop; each loop's inner map
 * only by that loop. Keyed by the upstream's config record, so a reload that changes an upstream gets fresh
 * connections while an unchanged one keeps its warm pool.
 */
public final class BackendPools {
    private final BackendConnector connector;
    private final NanoClock clock;
    private final Map<EventLoop, Map<UpstreamConfig, BackendPool>> byLoop = new ConcurrentHashMap<>();

    public BackendPools(BackendConnector connector, NanoClock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    /** The pool for {@code upstream} on {@code loop}; call on that loop. */
    public BackendPool pool(EventLoop loop, UpstreamConfig upstream) {
        assert loop.inEventLoop();
        Map<UpstreamConfig, BackendPool> pools = byLoop.computeIfAbsent(loop, l -> new HashMap<>());
        BackendPool pool = pools.get(upstream);
        if (pool == null) {
            pool = new BackendPool(upstream, loop, connector, clock);
            pools.put(upstream, pool);
        }
        return pool;
    }

    /**
     * Open plus connecting connections over every pool, each counted on its own loop. Blocks the caller until every
     * loop answered, so it must not run on an event loop.
     */
    public int openConnections() {
        int total = 0;
        for (Map.Entry<EventLoop, Map<UpstreamConfig, BackendPool>> e : byLoop.entrySet()) {
            Map<UpstreamConfig, BackendPool> pools = e.getValue();
            total += e.getKey().submit(() -> pools.values().stream().mapToInt(BackendPool::openConnections).sum())
                    .syncUninterruptibly().getNow();
        }
        return total;
    }

    /** Closes every pool's idle connections, each on its own loop. */
    public void closeAll() {
        byLoop.forEach((loop, pools) -> loop.execute(() -> pools.values().forEach(BackendPool::close)));
    }
}
