package io.claudelb.core.balance;

import io.claudelb.core.health.FailureKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.util.Set;

/**
 * Picks the upstream for each attempt of an exchange and learns from the outcome. Implementations are thread-safe:
 * every event loop calls them concurrently. The call pattern per attempt is
 * {@code select -> onStart -> (onSuccess | onFailure)? -> onEnd}.
 */
public interface Balancer {

    /**
     * The target for the next attempt, or null when no eligible candidate remains.
     *
     * @param decision the route's candidates and strategy
     * @param context  affinity key and client
     * @param tried    upstream names already tried in this exchange; never picked again
     */
    Target select(RouteDecision decision, SelectionContext context, Set<String> tried);

    /** An attempt on {@code target} begins (in-flight + 1). */
    void onStart(Target target);

    /**
     * The upstream answered well (a non-failure head, or a stream that got past its peek window).
     *
     * @param timeToFirstByteNanos from sending the attempt to that verdict, for a balancer that weighs latency
     *                             (the default one does not; /stats percentiles come from the exchange observers)
     */
    void onSuccess(Target target, long timeToFirstByteNanos);

    /**
     * The attempt failed in a way that says something about the upstream.
     *
     * @param retryAfterNanos cooldown the upstream asked for (retry-after), or 0
     */
    void onFailure(Target target, FailureKind kind, long retryAfterNanos);

    /** The attempt is over, whatever happened (in-flight - 1); {@code bytes} is what went to the client. */
    void onEnd(Target target, long bytes);

    /**
     * Nanoseconds until the soonest of the decision's targets may be tried again (breaker or cooldown), or 0 when
     * one is already eligible. Used for {@code retry-after} when every candidate failed.
     */
    long nanosUntilRecovery(RouteDecision decision);
}
