package io.claudelb.core.balance;

import io.claudelb.core.health.FailureKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simplest balancer: rotates over the route's targets not yet tried. No health, no affinity: the core relay's
 * placeholder until the full balancer replaces it behind the same interface.
 */
public final class RotationBalancer implements Balancer {
    private final AtomicLong next = new AtomicLong();

    @Override
    public Target select(RouteDecision decision, SelectionContext context, Set<String> tried) {
        List<Target> targets = decision.targets();
        long start = next.getAndIncrement();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get((int) Math.floorMod(start + i, (long) targets.size()));
            if (!tried.contains(t.name())) {
                return t;
            }
        }
        return null;
    }

    @Override
    public void onStart(Target target) {
    }

    @Override
    public void onSuccess(Target target, long timeToFirstByteNanos) {
    }

    @Override
    public void onFailure(Target target, FailureKind kind, long retryAfterNanos) {
    }

    @Override
    public void onEnd(Target target, long bytes) {
    }

    @Override
    public long nanosUntilRecovery(RouteDecision decision) {
        return 0;
    }
}
