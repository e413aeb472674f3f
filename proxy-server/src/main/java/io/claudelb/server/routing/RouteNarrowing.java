package io.claudelb.server.routing;

import io.claudelb.codec.json.RequestInfo;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.server.auth.CallerCredential;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Narrows a route's candidates for one request before the balancer sees them. Each step keeps the route's order,
 * match and strategy, and returns null when no candidate is left (the caller answers):
 * <ol>
 *   <li>{@link #force}: a forced upstream (header {@code x-claude-lb-upstream}, else seed B's body field
 *       {@code provider}) leaves that one target; an upstream that is unknown or not a target of the route gives
 *       404.</li>
 *   <li>{@link #usableBy}: {@code passthrough} targets only for a caller who has an upstream credential to pass
 *       ({@link CallerCredential}); when client keys are configured, a caller without one (an exempt path) may use
 *       passthrough targets only, never claude-lb's own credentials.</li>
 *   <li>{@link #countingTokens}: for {@code count_tokens}, the targets whose upstream relays it
 *       ({@code count_tokens: true}, never an {@code openai} upstream); none means a local estimate.</li>
 * </ol>
 */
final class RouteNarrowing {
    static final String FORCE_HEADER = "x-claude-lb-upstream";

    private RouteNarrowing() {
    }

    /** The upstream the request forces, or null: the header wins over the body's {@code provider}. */
    static String forcedUpstream(HttpHeaders headers, RequestInfo info) {
        String header = headers.get(FORCE_HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        String provider = info.provider();
        return provider == null || provider.isBlank() ? null : provider.strip();
    }

    /** Just the target on {@code upstream}, or null when it is not one of the route's targets. */
    static RouteDecision force(RouteDecision decision, String upstream) {
        Target t = decision.target(upstream);
        return t == null ? null : with(decision, List.of(t));
    }

    /**
     * @param anonymousWithKeys client keys are configured but this caller presented none (an exempt path)
     */
    static RouteDecision usableBy(RouteDecision decision, boolean anonymousWithKeys, CallerCredential caller) {
        return only(decision, t -> isPassthrough(t) ? !caller.isEmpty() : !anonymousWithKeys);
    }

    static RouteDecision countingTokens(RouteDecision decision) {
        return only(decision, t -> t.upstream().countTokens() && t.upstream().kind() != UpstreamKind.OPENAI);
    }

    static boolean hasPassthrough(RouteDecision decision) {
        return decision.targets().stream().anyMatch(RouteNarrowing::isPassthrough);
    }

    private static boolean isPassthrough(Target t) {
        return t.upstream().auth().type() == AuthType.PASSTHROUGH;
    }

    private static RouteDecision only(RouteDecision decision, Predicate<Target> keep) {
        List<Target> kept = new ArrayList<>(decision.targets().size());
        for (Target t : decision.targets()) {
            if (keep.test(t)) {
                kept.add(t);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        return kept.size() == decision.targets().size() ? decision : with(decision, kept);
    }

    private static RouteDecision with(RouteDecision decision, List<Target> targets) {
        return new RouteDecision(decision.requestedModel(), decision.routeMatch(), targets, decision.strategy(),
                decision.dedup());
    }
}
