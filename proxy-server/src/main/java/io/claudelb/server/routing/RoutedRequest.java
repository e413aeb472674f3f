package io.claudelb.server.routing;

import io.claudelb.codec.json.RequestInfo;
import io.claudelb.core.balance.SelectionContext;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.server.auth.CallerCredential;

/**
 * A request that routing accepted: what its body asked for, the candidates that may serve it (already narrowed for
 * this caller), and how the balancer should see it.
 *
 * @param info        the inspected body (model, stream, session, byte ranges for the model rewrite)
 * @param decision    the route's candidates and strategy, narrowed ({@link RouteNarrowing})
 * @param selection   affinity key and client for the balancer
 * @param caller      the caller's own upstream credential, for {@code passthrough} upstreams
 * @param countTokens a {@code count_tokens} request
 */
public record RoutedRequest(RequestInfo info, RouteDecision decision, SelectionContext selection,
                            CallerCredential caller, boolean countTokens) {
}
