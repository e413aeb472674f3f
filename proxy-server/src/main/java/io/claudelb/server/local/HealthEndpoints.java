package io.claudelb.server.local;

import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * The probes load balancers and Kubernetes ask without any key: {@code GET /livez} (the process serves: answering
 * at all is the proof), {@code GET /readyz} (worth sending traffic to: config loaded, not draining, at least one
 * upstream whose breaker is not open and that is not cooling down) and {@code GET /health} (seed A's shape, kept as
 * it was). Part of {@link LocalEndpoints}; answers on the event loop from the balancer's snapshot, never blocking.
 */
final class HealthEndpoints {
    static final String HEALTH = "/health";
    static final String LIVEZ = "/livez";
    static final String READYZ = "/readyz";

    private final Gateway gateway;
    private final BooleanSupplier draining;

    /** @param draining true once a graceful shutdown has begun: readiness fails before the listener closes */
    HealthEndpoints(Gateway gateway, BooleanSupplier draining) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.draining = Objects.requireNonNull(draining, "draining");
    }

    static boolean handles(HttpMethod method, String path) {
        return HttpMethod.GET.equals(method) && (path.equals(HEALTH) || path.equals(LIVEZ) || path.equals(READYZ));
    }

    /** Only for a request {@link #handles} accepted. */
    FullHttpResponse answer(ByteBufAllocator alloc, String path) {
        if (path.equals(LIVEZ)) {
            return LocalResponses.json(alloc, 200, "{\"status\":\"ok\"}");
        }
        long available = availableUpstreams();
        if (path.equals(READYZ)) {
            // Draining comes first: a load balancer must stop sending new requests while the running ones finish,
            // even though every upstream is fine.
            if (draining.getAsBoolean()) {
                return unavailable(alloc, "draining", "claude-lb is shutting down and finishing running requests.");
            }
            return available > 0
                    ? LocalResponses.json(alloc, 200, "{\"status\":\"ready\",\"upstreams_available\":" + available + "}")
                    : unavailable(alloc, "no_upstream_available",
                            "No upstream is available: every circuit is open, cooling down or failing its probes.");
        }
        return available > 0
                ? LocalResponses.json(alloc, 200, "{\"status\":\"healthy\",\"upstreams_available\":" + available + "}")
                : LocalResponses.json(alloc, 503, "{\"status\":\"unhealthy\",\"message\":"
                        + "\"No upstream is available: every circuit is open, cooling down or failing its probes.\"}");
    }

    /** Upstreams a request could be sent to now (breaker not open, not cooling down, not failing its probes). */
    long availableUpstreams() {
        return gateway.balancerState().availableCount();
    }

    /** The reasons and messages are fixed text: nothing from a request or the config reaches a probe's answer. */
    private static FullHttpResponse unavailable(ByteBufAllocator alloc, String reason, String message) {
        return LocalResponses.json(alloc, 503, "{\"status\":\"unavailable\",\"reason\":\"" + reason
                + "\",\"message\":\"" + message + "\"}");
    }
}
