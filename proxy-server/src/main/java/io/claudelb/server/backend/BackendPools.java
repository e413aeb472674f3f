package io.claudelb.server.backend;

import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.time.NanoClock;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * All backend pools: one per (upstream, event loop). The outer map is touched once per loop; each loop's inner map
 * only by that loop. Keyed by the upstream's endpoint ({@link PoolKey}: name, address, proxy, TLS, connect timeout,
 * pool limits), so a reload that moves an upstream gets fresh connections while one that only changes its weight,
 * priority, credential or anything else read per request keeps its warm pool.
 */
public final class BackendPools {
    private final BackendConnector connector;
    private final NanoClock clock;
    private final Map<EventLoop, LoopPools> byLoop = new ConcurrentHashMap<>();

    public BackendPools(BackendConnector connector, NanoClock clock) {
        this.connector = connector;
        this.clock = clock;
    }

    /** The pool for {@code upstream} on {@code loop}; call on that loop. */
    public BackendPool pool(EventLoop loop, UpstreamConfig upstream) {
        assert loop.inEventLoop();
        LoopPools pools = byLoop.computeIfAbsent(loop, l -> new LoopPools());
        // Identity first: a record's hashCode walks every nested record, and the snapshot's instances rarely change.
        BackendPool pool = pools.byInstance.get(upstream);
        if (pool == null) {
            pool = pools.byKey.computeIfAbsent(PoolKey.of(upstream), k -> new BackendPool(upstream, loop, connector,
                    clock));
            pools.byInstance.put(upstream, pool);
        }
        return pool;
    }

    /**
     * After a reload: forgets the replaced config instances (each reload makes new ones, which would otherwise pile
     * up here) and closes the pools of endpoints no upstream of {@code current} has any more (their idle connections
     * now, leased ones as they are released), each loop on itself.
     */
    public void retainOnly(Collection<UpstreamConfig> current) {
        Set<PoolKey> kept = current.stream().map(PoolKey::of).collect(Collectors.toSet());
        byLoop.forEach((loop, pools) -> loop.execute(() -> pools.retainOnly(kept)));
    }

    /** One event loop's pools; touched only by that loop (the registry iterates it on the loop too). */
    private static final class LoopPools {
        final Map<PoolKey, BackendPool> byKey = new HashMap<>();
        final Map<UpstreamConfig, BackendPool> byInstance = new IdentityHashMap<>();

        Collection<BackendPool> all() {
            return byKey.values();
        }

        void retainOnly(Set<PoolKey> kept) {
            byInstance.clear();
            byKey.entrySet().removeIf(e -> {
                if (kept.contains(e.getKey())) {
                    return false;
                }
                e.getValue().close();
                return true;
            });
        }
    }

    /**
     * Open plus connecting connections over every pool, each counted on its own loop. Blocks the caller until every
     * loop answered, so it must not run on an event loop.
     */
    public int openConnections() {
        int total = 0;
        for (Map.Entry<EventLoop, LoopPools> e : byLoop.entrySet()) {
            LoopPools pools = e.getValue();
            total += e.getKey().submit(() -> pools.all().stream().mapToInt(BackendPool::openConnections).sum())
                    .syncUninterruptibly().getNow();
        }
        return total;
    }

    /**
     * Counts every loop's connections by upstream name, each loop on itself, and hands each loop's counts to
     * {@code sink} there: for metrics, which must never make a loop wait (nor be made to wait by one).
     */
    public void sample(BiConsumer<EventLoop, Map<String, PoolCounts>> sink) {
        byLoop.forEach((loop, pools) -> loop.execute(() -> {
            Map<String, PoolCounts> counts = new HashMap<>();
            for (BackendPool p : pools.all()) {
                counts.merge(p.upstream().name(), new PoolCounts(p.openConnections(), p.idleConnections(),
                        p.pendingAcquires()), PoolCounts::plus);
            }
            sink.accept(loop, counts);
        }));
    }

    /** Closes every pool's idle connections, each on its own loop. */
    public void closeAll() {
        byLoop.forEach((loop, pools) -> loop.execute(() -> pools.all().forEach(BackendPool::close)));
    }
}
