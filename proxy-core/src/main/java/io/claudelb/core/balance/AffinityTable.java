package io.claudelb.core.balance;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.time.NanoClock;
import java.util.Set;

/**
 * Which upstream each session is bound to, so its prompt cache (per workspace) keeps hitting. A bounded Caffeine
 * map with idle expiry ({@code balancing.affinity_ttl}, {@code affinity_max_entries}) whose maintenance runs on
 * the calling thread (never the common pool) and whose time is the injected clock.
 *
 * <p>Keys are {@code route match + "\0" + session key}: one session gets independent bindings per route, so a
 * binding made for an Opus route never steers a Haiku request. A {@link Listener} hears every binding appear and
 * disappear (bound, replaced, expired, evicted), which keeps the per-upstream "sessions bound now" gauge true.
 */
public final class AffinityTable {
    /** Told when a binding to an upstream appears or goes away. Called on the thread that caused it. */
    public interface Listener {
        void bound(String upstream);

        void unbound(String upstream);
    }

    /**
     * The value: a fresh instance per binding, so replacing a binding with the same upstream still notifies the
     * listener (Caffeine only reports a replacement by a different instance).
     */
    private static final class Binding {
        final String upstream;

        Binding(String upstream) {
            this.upstream = upstream;
        }
    }

    private final Cache<String, Binding> cache;
    private final Listener listener;

    public AffinityTable(BalancingSettings settings, NanoClock clock, Listener listener) {
        this.listener = listener;
        this.cache = Caffeine.newBuilder()
                .expireAfterAccess(settings.affinityTtl())
                .maximumSize(settings.affinityMaxEntries())
                .executor(Runnable::run)
                .ticker(clock::nanoTime)
                .<String, Binding>removalListener((key, value, cause) -> {
                    if (value != null) {
                        listener.unbound(value.upstream);
                    }
                })
                .build();
    }

    /** The table key of a session on a route. */
    public static String key(String routeMatch, String sessionKey) {
        return routeMatch + '\0' + sessionKey;
    }

    /** The upstream the key is bound to (refreshing its idle timer), or null. */
    public String bound(String key) {
        Binding b = cache.getIfPresent(key);
        return b == null ? null : b.upstream;
    }

    /** Binds (or rebinds) the key to an upstream. */
    public void bind(String key, String upstream) {
        listener.bound(upstream);
        cache.put(key, new Binding(upstream));
    }

    /** Forgets every binding to one of {@code upstreams} (they left the config). */
    public void forgetUpstreams(Set<String> upstreams) {
        if (!upstreams.isEmpty()) {
            cache.asMap().values().removeIf(b -> upstreams.contains(b.upstream));
        }
    }

    /** Applies a reloaded {@code balancing:} section's ttl and size bound, keeping the bindings. */
    public void reconfigure(BalancingSettings settings) {
        cache.policy().expireAfterAccess().ifPresent(p -> p.setExpiresAfter(settings.affinityTtl()));
        cache.policy().eviction().ifPresent(p -> p.setMaximum(settings.affinityMaxEntries()));
    }

    /** Bindings remembered now (after pending expiry and eviction). */
    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    public void clear() {
        cache.invalidateAll();
        cache.cleanUp();
    }
}
