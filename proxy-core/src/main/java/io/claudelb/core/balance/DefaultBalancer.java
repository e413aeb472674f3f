package io.claudelb.core.balance;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.core.time.NanoClock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The balancer of one config snapshot: session affinity first, then the route's strategy, over the targets that
 * are eligible (not tried in this exchange, breaker admits, no retry-after cooldown). Outcomes go to the shared
 * {@link BalancerState}, which outlives this object: a reload builds a new DefaultBalancer over the same registry
 * (after {@link BalancerState#reconcile}), so breakers, cooldowns, counters and session bindings carry over.
 *
 * <p>Affinity: with {@code session} the key is {@link io.claudelb.core.balance.SelectionContext#sessionKey()}, with
 * {@code client_key} the client's name; a request without one is balanced freely. A bound upstream that is a
 * target of the request and eligible is used. One that is open, cooling, out of probe slots or already tried in
 * this exchange loses the session: the strategy's choice becomes the binding (once, counted as a rebind of the old
 * upstream), so a failover leaves the session on the upstream that answered. A binding to an upstream that is not
 * a target of this request (a changed config) is never followed; it is replaced without counting.
 */
public final class DefaultBalancer implements Balancer {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultBalancer.class);

    private final BalancerState health;
    private final NanoClock clock;
    private final AffinityMode affinityMode;
    private final Map<Strategy, TargetPicker> pickers = new EnumMap<>(Strategy.class);
    private final Map<RouteState.Key, RouteState> routeStates = new ConcurrentHashMap<>();

    /**
     * @param clock  the same clock {@code health} was built with
     * @param random for the {@code random} strategy, asked once per pick on the thread that picks: the balancer is
     *               shared by every event loop, and a {@code ThreadLocalRandom} is only safe (and only
     *               uncontended) on the thread that took it, so production passes {@code ThreadLocalRandom::current}
     */
    public DefaultBalancer(GatewayConfig config, BalancerState health, NanoClock clock,
                           Supplier<? extends RandomGenerator> random) {
        this.health = health;
        this.clock = clock;
        this.affinityMode = config.balancing().affinity();
        pickers.put(Strategy.LEAST_REQUESTS, new LeastRequestsPicker(this::inFlight));
        pickers.put(Strategy.ROUND_ROBIN, new SmoothWeightedRoundRobin());
        pickers.put(Strategy.RANDOM, new WeightedRandomPicker(random));
        pickers.put(Strategy.PRIORITY, new PriorityPicker());
    }

    /** Production wiring: the registry's clock and the picking thread's own random. */
    public static DefaultBalancer create(GatewayConfig config, BalancerState health) {
        return new DefaultBalancer(config, health, health.clock(), ThreadLocalRandom::current);
    }

    public BalancerState health() {
        return health;
    }

    @Override
    public Target select(RouteDecision decision, SelectionContext context, Set<String> tried) {
        if (tried == null) {
            tried = Set.of();
        }
        long now = clock.nanoTime();
        List<Target> targets = decision.targets();
        int n = targets.size();
        UpstreamHealth[] states = new UpstreamHealth[n];
        boolean[] eligible = new boolean[n];
        int eligibleCount = 0;
        for (int i = 0; i < n; i++) {
            String name = targets.get(i).name();
            if (tried.contains(name)) {
                continue;
            }
            states[i] = health.upstream(name);
            if (states[i] != null && states[i].eligible(now)) {
                eligible[i] = true;
                eligibleCount++;
            }
        }
        if (eligibleCount == 0) {
            return null;
        }
        String sessionKey = affinityKey(decision, context);
        if (sessionKey == null) {
            int chosen = pickAndAdmit(decision, eligible, states, now);
            return chosen < 0 ? null : targets.get(chosen);
        }
        AffinityTable table = health.affinity();
        String bound = table.bound(sessionKey);
        int boundIndex = bound == null ? -1 : indexOf(targets, bound);
        if (boundIndex >= 0 && eligible[boundIndex]) {
            if (states[boundIndex].tryAdmit(now)) {
                return targets.get(boundIndex);
            }
            eligible[boundIndex] = false;
        }
        int chosen = pickAndAdmit(decision, eligible, states, now);
        if (chosen < 0) {
            return null;
        }
        String upstream = targets.get(chosen).name();
        table.bind(sessionKey, upstream);
        if (boundIndex >= 0) {
            health.recordRebind(bound);
            LOG.debug("session moved from upstream {} to {} on route {}", bound, upstream, decision.routeMatch());
        }
        return targets.get(chosen);
    }

    private String affinityKey(RouteDecision decision, SelectionContext context) {
        if (context == null) {
            return null;
        }
        String key = switch (affinityMode) {
            case NONE -> null;
            case SESSION -> context.sessionKey();
            case CLIENT_KEY -> context.clientName();
        };
        return key == null || key.isEmpty() ? null : AffinityTable.key(decision.routeMatch(), key);
    }

    /** The strategy's choice whose breaker also admits it (a lost race for a probe slot drops it and re-picks). */
    private int pickAndAdmit(RouteDecision decision, boolean[] eligible, UpstreamHealth[] states, long now) {
        TargetPicker picker = pickers.get(decision.strategy());
        RouteState route = routeStates.computeIfAbsent(RouteState.Key.of(decision), k -> new RouteState());
        while (true) {
            int chosen = picker.pick(decision.targets(), eligible, route);
            if (chosen < 0 || states[chosen].tryAdmit(now)) {
                return chosen;
            }
            eligible[chosen] = false;
        }
    }

    private static int indexOf(List<Target> targets, String name) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private long inFlight(Target target) {
        UpstreamHealth h = health.upstream(target.name());
        return h == null ? 0 : h.stats().inFlight();
    }

    @Override
    public void onStart(Target target) {
        UpstreamHealth h = health.upstream(target.name());
        if (h != null) {
            h.started();
        }
    }

    @Override
    public void onSuccess(Target target, long timeToFirstByteNanos) {
        UpstreamHealth h = health.upstream(target.name());
        if (h != null && h.succeeded(clock.nanoTime())) {
            LOG.info("upstream {} circuit closed: a probe succeeded", target.name());
        }
    }

    @Override
    public void onFailure(Target target, FailureKind kind, long retryAfterNanos) {
        UpstreamHealth h = health.upstream(target.name());
        if (h != null && h.failed(kind, retryAfterNanos, clock.nanoTime(), health.wallClockMillis())) {
            LOG.warn("upstream {} circuit opened after {} consecutive failures (last: {})", target.name(),
                    h.breaker().consecutiveFailures(), kind);
        }
    }

    @Override
    public void onEnd(Target target, long bytes) {
        UpstreamHealth h = health.upstream(target.name());
        if (h != null) {
            h.ended(bytes);
        }
    }

    @Override
    public long nanosUntilRecovery(RouteDecision decision) {
        long now = clock.nanoTime();
        long soonest = Long.MAX_VALUE;
        for (Target t : decision.targets()) {
            UpstreamHealth h = health.upstream(t.name());
            if (h != null) {
                soonest = Math.min(soonest, h.nanosUntilEligible(now));
            }
        }
        return soonest == Long.MAX_VALUE ? 0 : soonest;
    }

    /** Closes every breaker and clears every cooldown. */
    public void resetAll() {
        health.resetAll();
    }

    /** Resets one upstream; false when no upstream has that name. */
    public boolean reset(String name) {
        return health.reset(name);
    }
}
