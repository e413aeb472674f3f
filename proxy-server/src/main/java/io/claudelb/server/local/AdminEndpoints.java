package io.claudelb.server.local;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.balance.BalancerState;
import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.stats.StatsSnapshot;
import io.claudelb.core.stats.UpstreamSnapshot;
import io.claudelb.server.coalesce.CoalescingStats;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.gateway.Reloaded;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.metrics.WindowedLatencies;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /stats}, {@code GET /providers}, {@code POST /reset[/name]}. The read-only views follow the client-key
 * rules; {@code /reset} needs the admin key ({@code admin.api_key}), which is separate from client keys: seed A left
 * its reset open to anyone who could reach the port. No view shows a secret, a credential-bearing URL or a proxy
 * password.
 */
final class AdminEndpoints {
    private final Gateway gateway;
    private final CoalescingStats coalescing;
    private final WindowedLatencies latencies;

    AdminEndpoints(Gateway gateway, CoalescingStats coalescing, WindowedLatencies latencies) {
        this.gateway = gateway;
        this.coalescing = coalescing;
        this.latencies = latencies;
    }

    /**
     * {@code /stats}: seed A's {@code endpoints[]} fields ({@code name, active_requests, total_requests,
     * total_errors, circuit_open}) plus claude-lb's per-upstream figures; the time-to-first-byte percentiles are
     * those of the last five minutes ({@link WindowedLatencies}).
     */
    FullHttpResponse stats(ByteBufAllocator alloc) {
        StatsSnapshot stats = gateway.balancerState().snapshot();
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeNumberField("affinity_entries", stats.affinityEntries());
            g.writeNumberField("rebinds", stats.rebinds());
            g.writeObjectFieldStart("coalescing");
            g.writeNumberField("leaders", coalescing.leaders());
            g.writeNumberField("followers", coalescing.followers());
            g.writeNumberField("replays", coalescing.replays());
            g.writeNumberField("upstream_calls_saved", coalescing.upstreamCallsSaved());
            g.writeNumberField("bytes_fanned_out", coalescing.bytesFannedOut());
            g.writeNumberField("followers_dropped", coalescing.followersDropped());
            g.writeNumberField("linger_hits", coalescing.lingerHits());
            g.writeEndObject();
            g.writeArrayFieldStart("endpoints");
            for (UpstreamSnapshot u : stats.upstreams()) {
                writeUpstream(g, u, latencies.timeToFirstByte(u.name()));
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static void writeUpstream(JsonGenerator g, UpstreamSnapshot u, WindowedLatencies.Percentiles ttfb)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("name", u.name());
        g.writeStringField("kind", u.kind().configName());
        g.writeNumberField("weight", u.weight());
        g.writeNumberField("active_requests", u.inFlight());
        g.writeNumberField("in_flight", u.inFlight());
        g.writeNumberField("total_requests", u.totalRequests());
        g.writeNumberField("successes", u.successes());
        g.writeNumberField("total_errors", u.totalErrors());
        g.writeObjectFieldStart("errors_by_kind");
        for (Map.Entry<FailureKind, Long> e : u.errorsByKind().entrySet()) {
            if (e.getValue() > 0) {
                g.writeNumberField(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue());
            }
        }
        g.writeEndObject();
        g.writeBooleanField("circuit_open", u.circuitOpen());
        g.writeStringField("breaker_state", u.breakerState().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("consecutive_failures", u.consecutiveFailures());
        g.writeNumberField("seconds_until_half_open", seconds(u.nanosUntilHalfOpen()));
        g.writeNumberField("cooldown_seconds", seconds(u.cooldownRemainingNanos()));
        g.writeBooleanField("available", u.available());
        g.writeNumberField("ttfb_p50_ms", round(ttfb.p50Millis()));
        g.writeNumberField("ttfb_p99_ms", round(ttfb.p99Millis()));
        g.writeNumberField("bytes", u.bytesToClients());
        g.writeNumberField("affinity_bindings", u.affinityBindings());
        g.writeNumberField("rebinds", u.rebinds());
        g.writeNumberField("last_failure_time", u.lastFailureEpochMillis() / 1000.0);
        g.writeEndObject();
    }

    /**
     * The kind's own settings: a bedrock region, a vertex project and region, a databricks workspace's API,
     * discovery and the endpoints it was last seen to serve ({@code null} while unknown).
     */
    private void cloud(JsonGenerator g, UpstreamConfig u) throws IOException {
        switch (u.kind()) {
            case BEDROCK -> g.writeStringField("region", u.bedrock().region());
            case VERTEX -> {
                g.writeStringField("project", u.vertex().project());
                g.writeStringField("region", u.vertex().region());
            }
            case DATABRICKS -> {
                g.writeObjectFieldStart("databricks");
                g.writeStringField("api", u.databricks().api().configName());
                g.writeBooleanField("discover", u.databricks().discover());
                java.util.Set<String> served = gateway.discovered().served(u.name());
                if (served == null) {
                    g.writeNullField("served_endpoints");
                } else {
                    g.writeArrayFieldStart("served_endpoints");
                    for (String name : new java.util.TreeSet<>(served)) {
                        g.writeString(name);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            case ANTHROPIC, OPENAI -> { }
        }
    }

    /** {@code /providers}: seed B's shape (a superset), from the current config and health. */
    FullHttpResponse providers(ByteBufAllocator alloc) {
        GatewayConfig config = gateway.snapshot().config();
        StatsSnapshot stats = gateway.balancerState().snapshot();
        long healthy = stats.upstreams().stream().filter(UpstreamSnapshot::available).count();
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeNumberField("total_providers", config.upstreams().size());
            g.writeNumberField("healthy_providers", healthy);
            g.writeStringField("selection_strategy", config.balancing().strategy().configName());
            g.writeNumberField("total_model_routes", config.routes().size());
            g.writeArrayFieldStart("providers");
            for (UpstreamConfig u : config.upstreams()) {
                UpstreamSnapshot s = stats.upstream(u.name());
                g.writeStartObject();
                g.writeStringField("name", u.name());
                g.writeStringField("type", u.kind().configName());
                g.writeStringField("base_url", u.displayUrl());
                g.writeBooleanField("enabled", true);
                g.writeBooleanField("healthy", s == null || s.available());
                g.writeNumberField("failure_count", s == null ? 0 : s.consecutiveFailures());
                g.writeNumberField("last_failure_time", s == null ? 0 : s.lastFailureEpochMillis() / 1000.0);
                if (u.proxy() == null) {
                    g.writeNullField("proxy");
                } else {
                    g.writeStringField("proxy", u.proxy().toString());
                }
                g.writeStringField("auth_type", u.auth().type().configName());
                cloud(g, u);
                g.writeArrayFieldStart("models");
                for (RouteConfig r : config.routes()) {
                    for (TargetConfig t : r.targets()) {
                        if (t.upstream().equals(u.name())) {
                            g.writeStartObject();
                            g.writeStringField("pattern", r.match());
                            g.writeStringField("model", t.model() == null ? TargetConfig.PASSTHROUGH : t.model());
                            g.writeNumberField("priority", t.priority());
                            g.writeEndObject();
                        }
                    }
                }
                g.writeEndArray();
                g.writeStringField("status", s == null || s.available() ? "healthy" : "unhealthy");
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** {@code POST /reset} or {@code /reset/{name}}: closes breakers and clears cooldowns. Admin key required. */
    FullHttpResponse reset(ByteBufAllocator alloc, FullHttpRequest request, String path) {
        FullHttpResponse denied = checkAdminKey(alloc, request);
        if (denied != null) {
            return denied;
        }
        BalancerState health = gateway.balancerState();
        if (path.equals("/reset")) {
            health.resetAll();
            return LocalResponses.json(alloc, 200, "{\"status\":\"reset\",\"upstreams\":" + health.names().size() + "}");
        }
        String name = path.substring("/reset/".length());
        if (!health.reset(name)) {
            return LocalResponses.error(alloc, 404, "not_found_error", "No upstream named '" + name + "'.");
        }
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeStringField("status", "reset");
            g.writeStringField("upstream", name);
            g.writeEndObject();
        }));
    }

    /**
     * {@code POST /reload} (and seed B's {@code POST /providers/reload}): re-reads the config file and swaps it in
     * atomically; an invalid file changes nothing and the answer names the key. The caller has checked the admin
     * key ({@link #checkAdminKey}) and runs this on the control plane: it reads and parses a file.
     */
    FullHttpResponse reload(ByteBufAllocator alloc) {
        Reloaded reloaded;
        try {
            reloaded = gateway.reloadFromSource();
        } catch (ConfigException e) {
            return LocalResponses.error(alloc, 400, "invalid_request_error", "Reload refused, config unchanged: "
                    + e.getMessage());
        } catch (IllegalStateException e) {
            return LocalResponses.error(alloc, 409, "invalid_request_error", "Reload is not available: " + e.getMessage());
        }
        GatewayConfig next = reloaded.config();
        long healthy = gateway.balancerState().availableCount();
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeStringField("message", "Configuration reloaded" + reloaded.restartNote());
            g.writeNumberField("providers_count", next.upstreams().size());
            g.writeNumberField("healthy_providers", healthy);
            g.writeNumberField("routes", next.routes().size());
            g.writeArrayFieldStart("restart_needed");
            for (String setting : reloaded.restartNeeded()) {
                g.writeString(setting);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** Null when the request carries the admin key; otherwise the refusal to send. */
    FullHttpResponse checkAdminKey(ByteBufAllocator alloc, FullHttpRequest request) {
        GatewayConfig config = gateway.snapshot().config();
        if (config.admin().apiKey().isEmpty()) {
            return LocalResponses.error(alloc, 403, "permission_error",
                    "Admin endpoints are disabled: set admin.api_key in the config to enable them.");
        }
        if (!config.admin().apiKey().matches(HeaderRules.clientCredential(request.headers()))) {
            return LocalResponses.error(alloc, 401, "authentication_error",
                    "This endpoint needs the admin key (x-api-key or Authorization: Bearer).");
        }
        return null;
    }

    private static double seconds(long nanos) {
        return Math.ceil(TimeUnit.NANOSECONDS.toMillis(nanos) / 100.0) / 10.0;
    }

    private static double round(double millis) {
        return Math.round(millis * 100.0) / 100.0;
    }
}
