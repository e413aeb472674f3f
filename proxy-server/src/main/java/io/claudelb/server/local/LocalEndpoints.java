package io.claudelb.server.local;

import io.claudelb.server.coalesce.CoalescingStats;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.metrics.GatewayMetrics;
import io.claudelb.server.metrics.WindowedLatencies;
import io.claudelb.server.usage.UsageStore;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The endpoints claude-lb answers itself (everything but {@code /v1/messages*}). Claude Code's preflights
 * ({@code HEAD /}, {@code HEAD /api/hello}) and telemetry ({@code POST /api/event_logging/batch}, discarded) always
 * get 200 without a key: they carry nothing and a 401 there only makes Claude Code noisy. {@code GET /v1/models}
 * ({@link ModelList}) follows the client-key rules of {@code /v1/messages}. The probes {@code /health},
 * {@code /livez} and {@code /readyz} ({@link HealthEndpoints}) are open too; {@code GET /metrics}
 * ({@link MetricsEndpoint}) checks its own credential.
 */
public final class LocalEndpoints {
    private final Gateway gateway;
    private final String version;
    private final AdminEndpoints admin;
    private final UsageEndpoints usage;
    private final HealthEndpoints health;
    private final MetricsEndpoint metrics;
    private final String startedAt;

    /** Without usage storage ({@code /usage} reports answer that it is off). */
    public LocalEndpoints(Gateway gateway, String version) {
        this(gateway, version, UsageStore.disabled());
    }

    /** Built once at startup (off the event loops): it also loads the tokenizer of local count_tokens estimates. */
    public LocalEndpoints(Gateway gateway, String version, UsageStore usageStore) {
        this(gateway, version, usageStore, new CoalescingStats());
    }

    /** Never draining ({@code /readyz} fails only for want of an upstream), no {@code /metrics}. */
    public LocalEndpoints(Gateway gateway, String version, UsageStore usageStore, CoalescingStats coalescing) {
        this(gateway, version, usageStore, coalescing, () -> false,
                new WindowedLatencies(gateway.clock(), gateway.wallClock()), null);
    }

    /**
     * @param coalescing what in-flight coalescing saved, for {@code /stats}
     * @param draining   true once a graceful shutdown has begun (makes {@code /readyz} answer 503)
     * @param latencies  the windowed percentiles of {@code /stats} (registered as an exchange observer)
     * @param metrics    the registry {@code /metrics} shows, or null when metrics are off
     */
    public LocalEndpoints(Gateway gateway, String version, UsageStore usageStore, CoalescingStats coalescing,
                          BooleanSupplier draining, WindowedLatencies latencies, GatewayMetrics metrics) {
        this.gateway = gateway;
        this.version = version;
        this.admin = new AdminEndpoints(gateway, coalescing, latencies);
        this.usage = new UsageEndpoints(gateway, usageStore);
        this.health = new HealthEndpoints(gateway, draining);
        this.metrics = new MetricsEndpoint(gateway, metrics);
        this.startedAt = Instant.ofEpochMilli(gateway.wallClock().getAsLong()).truncatedTo(ChronoUnit.SECONDS)
                .toString();
        TokenCountEstimates.preload();
    }

    /** Endpoints that check the admin key themselves instead of a client key. */
    public static boolean usesAdminKey(String path) {
        return path.equals("/reset") || path.startsWith("/reset/") || isReload(path);
    }

    /**
     * Endpoints that decide about the caller's credential themselves, never taking a client key: the admin ones and
     * {@code /metrics} (loopback, its token or the admin key).
     */
    public static boolean checksOwnCredential(String path) {
        return usesAdminKey(path) || path.equals(MetricsEndpoint.PATH);
    }

    /**
     * Endpoints that take either the admin key or a client key and decide themselves what each may see
     * ({@code /usage}, {@code /usage/clients/{name}}).
     */
    public static boolean takesAdminOrClientKey(String path) {
        return UsageEndpoints.handles(path);
    }

    private static boolean isReload(String path) {
        return path.equals("/reload") || path.equals("/providers/reload");
    }

    /** Endpoints that never need a client key. */
    public static boolean isAlwaysOpen(HttpMethod method, String path) {
        return HttpMethod.HEAD.equals(method) && (path.equals("/") || path.equals("/api/hello"))
                || HttpMethod.POST.equals(method) && path.equals("/api/event_logging/batch")
                || HealthEndpoints.handles(method, path);
    }

    /**
     * @param clientName the authenticated client key's name, or null
     * @param loopback   whether the caller connected from a loopback address
     */
    public CompletionStage<FullHttpResponse> answer(ByteBufAllocator alloc, FullHttpRequest request, String path,
                                                    String clientName, boolean loopback) {
        if (MetricsEndpoint.handles(request.method(), path)) {
            return metrics.answer(alloc, request, loopback);
        }
        if (UsageEndpoints.handles(path) && HttpMethod.GET.equals(request.method())) {
            return usage.answer(alloc, request, path, clientName);
        }
        if (isReload(path) && HttpMethod.POST.equals(request.method())) {
            // Reading and validating a config file is I/O and CPU that must not hold an event loop.
            FullHttpResponse denied = admin.checkAdminKey(alloc, request);
            return denied != null ? CompletableFuture.completedFuture(denied)
                    : gateway.controlPlane().submit(() -> admin.reload(alloc));
        }
        return CompletableFuture.completedFuture(answerNow(alloc, request, path));
    }

    private FullHttpResponse answerNow(ByteBufAllocator alloc, FullHttpRequest request, String path) {
        HttpMethod method = request.method();
        if (HttpMethod.HEAD.equals(method) && (path.equals("/") || path.equals("/api/hello"))) {
            return LocalResponses.empty(200);
        }
        if (path.equals("/api/event_logging/batch") && HttpMethod.POST.equals(method)) {
            return LocalResponses.json(alloc, 200, "{}");
        }
        if (HealthEndpoints.handles(method, path)) {
            return health.answer(alloc, path);
        }
        boolean get = HttpMethod.GET.equals(method);
        if (path.equals("/") && get) {
            return LocalResponses.json(alloc, 200, "{\"service\":\"claude-lb\",\"version\":\"" + version
                    + "\",\"status\":\"healthy\",\"providers_available\":" + health.availableUpstreams() + "}");
        }
        if (path.equals("/v1/models") && get) {
            return ModelList.answer(alloc, gateway.snapshot().router(),
                    gateway.snapshot().config().upstreamsByName(), request.uri(), startedAt);
        }
        if (path.equals("/stats") && get) {
            return admin.stats(alloc);
        }
        if (path.equals("/providers") && get) {
            return admin.providers(alloc);
        }
        if (usesAdminKey(path) && HttpMethod.POST.equals(method)) {
            return admin.reset(alloc, request, path);
        }
        return LocalResponses.error(alloc, 404, "not_found_error", "No endpoint " + method + " " + path + ".");
    }
}
