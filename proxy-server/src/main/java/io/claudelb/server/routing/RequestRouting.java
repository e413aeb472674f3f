package io.claudelb.server.routing;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.codec.json.RequestInspector;
import io.claudelb.codec.session.SessionIds;
import io.claudelb.core.balance.SelectionContext;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.server.auth.CallerCredential;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * Routing, in one place: from a relayable request to the upstreams that may serve it, or the reason none may.
 * In order:
 * <ol>
 *   <li>inspect the body (model, stream, metadata.user_id, seed B's {@code provider}) without building a tree:
 *       malformed JSON or no model is 400;</li>
 *   <li>the first route whose pattern matches the model ({@link io.claudelb.core.route.Router}, per config
 *       snapshot): none is 404;</li>
 *   <li>a forced upstream (header {@code x-claude-lb-upstream}, else the body's {@code provider}) keeps only that
 *       target: unknown, or not a target of the route, is 404;</li>
 *   <li>the caller's credentials narrow the targets ({@link RouteNarrowing#usableBy}): none left is 401;</li>
 *   <li>{@code count_tokens} keeps the targets that relay it: none left means claude-lb estimates locally;</li>
 *   <li>the affinity session: Claude Code's {@code x-claude-code-session-id}, else the session inside
 *       {@code metadata.user_id}, else the client key's name.</li>
 * </ol>
 * Stateless; runs on the request's event loop (it reads bytes already in memory, nothing else).
 */
public final class RequestRouting {
    private static final String SESSION_HEADER = "x-claude-code-session-id";

    /** Where a request goes: to upstreams, or an answer of claude-lb's own. */
    public sealed interface Outcome permits Routed, Refused, EstimateLocally {
        /** The inspected body, or null when it could not be read. */
        RequestInfo info();
    }

    /** The request goes to upstreams. */
    public record Routed(RoutedRequest request) implements Outcome {
        @Override
        public RequestInfo info() {
            return request.info();
        }
    }

    /** An Anthropic error for the client; {@code info} is null when the body could not be read. */
    public record Refused(int status, String errorType, String message, RequestInfo info) implements Outcome {
    }

    /** A {@code count_tokens} request no target relays: claude-lb answers with an estimate. */
    public record EstimateLocally(RequestInfo info) implements Outcome {
    }

    private RequestRouting() {
    }

    /**
     * @param clientName the client key's name, or null when the caller presented none
     */
    public static Outcome route(ConfigSnapshot snapshot, FullHttpRequest request, String clientName,
                                boolean countTokens) {
        RequestInfo info;
        try {
            info = RequestInspector.inspect(request.content());
        } catch (InvalidRequestException e) {
            return new Refused(400, "invalid_request_error", e.getMessage(), null);
        }
        RouteDecision decision = snapshot.router().route(info.model());
        if (decision == null) {
            return new Refused(404, "not_found_error",
                    "model: " + info.model() + " is not served by any route of this gateway.", info);
        }
        GatewayConfig config = snapshot.config();
        String forced = RouteNarrowing.forcedUpstream(request.headers(), info);
        if (forced != null) {
            RouteDecision only = RouteNarrowing.force(decision, forced);
            if (only == null) {
                return new Refused(404, "not_found_error", config.upstreamsByName().containsKey(forced)
                        ? "Upstream '" + forced + "' does not serve model '" + info.model() + "'."
                        : "No upstream named '" + forced + "'.", info);
            }
            decision = only;
        }
        boolean authenticated = clientName != null;
        CallerCredential caller = CallerCredential.of(request.headers(), authenticated);
        RouteDecision usable = RouteNarrowing.usableBy(decision, config.requiresClientKey() && !authenticated,
                caller);
        if (usable == null) {
            return new Refused(401, "authentication_error", unusableMessage(decision, info.model(), authenticated),
                    info);
        }
        decision = usable;
        if (countTokens) {
            RouteDecision counting = RouteNarrowing.countingTokens(decision);
            if (counting == null) {
                return new EstimateLocally(info);
            }
            decision = counting;
        }
        SelectionContext selection = new SelectionContext(session(request, info, clientName), clientName);
        return new Routed(new RoutedRequest(info, decision, selection, caller, countTokens));
    }

    /** The affinity session of a request (see the class javadoc, step 6), or null. */
    static String session(FullHttpRequest request, RequestInfo info, String clientName) {
        String session = request.headers().get(SESSION_HEADER);
        if (session == null || session.isEmpty()) {
            session = info.userId() == null ? null : SessionIds.fromUserId(info.userId());
        }
        return session == null ? clientName : session;
    }

    /** Why no target of {@code decision} may serve this caller. */
    private static String unusableMessage(RouteDecision decision, String model, boolean authenticated) {
        if (!RouteNarrowing.hasPassthrough(decision)) {
            return "Invalid or missing API key. Send a claude-lb client key as x-api-key or Authorization: Bearer.";
        }
        return "Model '" + model + "' is served with each caller's own credential: send it as "
                + (authenticated
                ? CallerCredential.UPSTREAM_API_KEY + " or " + CallerCredential.UPSTREAM_AUTHORIZATION
                        + " (x-api-key and Authorization carry your claude-lb key)."
                : "x-api-key or Authorization.");
    }
}
