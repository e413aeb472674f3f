package io.claudelb.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps seed B's {@code settings:} section onto the native records: strategy, sticky provider (as session
 * affinity), health thresholds and failure classification, timeouts, client auth, listen address and logging.
 * Settings that claude-lb does not need (de-duplication knobs, the Claude Code OAuth pool, test hooks, uvicorn
 * reload) are accepted with a note, never an error: a seed B file must load unchanged. When a key is absent the
 * native default applies, except where seed B's own default is what its users rely on: the {@code priority}
 * strategy and the 127.0.0.1:9090 listen address.
 */
final class SeedBSettings {
    /** The records the settings produce; timeouts and pool apply to every provider. */
    record Mapped(ServerSettings server, List<ClientKey> clients, BalancingSettings balancing, HealthSettings health,
                  LoggingSettings logging, TimeoutSettings timeouts, PoolSettings pool, DedupSettings dedup) {
        /** Stands in for a {@code settings:} section that had an error, so the providers are still checked. */
        static final Mapped DEFAULTS = new Mapped(ServerSettings.DEFAULTS, List.of(), BalancingSettings.DEFAULTS,
                HealthSettings.DEFAULTS, LoggingSettings.DEFAULTS, TimeoutSettings.DEFAULTS, PoolSettings.DEFAULTS,
                DedupSettings.DEFAULTS);
    }

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 9090;
    private static final List<String> MAPPED = List.of("selection_strategy", "failure_cooldown",
            "unhealthy_threshold", "unhealthy_http_codes", "unhealthy_response_body_patterns",
            "sticky_provider_duration", "idle_recovery_interval", "timeouts", "auth", "host", "port", "log_level",
            "log_file_path", "deduplication");
    private static final Map<String, String> IGNORED = new LinkedHashMap<>();

    static {
        String timeouts = "ignored; claude-lb uses upstreams[].timeouts (connect 10s, first_byte 10m, idle 5m)";
        IGNORED.put("unhealthy_exception_patterns", "ignored: transport errors (connect, TLS, timeouts, resets) "
                + "always count as upstream failures in claude-lb");
        IGNORED.put("unhealthy_error_types", "ignored (seed B did not read it either); transport errors always "
                + "count as failures, statuses via unhealthy_http_codes, bodies via unhealthy_response_body_patterns");
        IGNORED.put("unhealthy_reset_on_success", "ignored: a success always resets an upstream's failure count");
        IGNORED.put("unhealthy_reset_timeout", "ignored: after health.open_for one probe request decides whether "
                + "an upstream is healthy again");
        IGNORED.put("oauth", "ignored: claude-lb has no Claude Code account pool (see auth type oauth_refresh)");
        IGNORED.put("testing", "ignored (seed B's test hook)");
        IGNORED.put("reload", "ignored (uvicorn code reload)");
        IGNORED.put("reload_includes", "ignored (uvicorn code reload)");
        IGNORED.put("app_name", "ignored (banner text)");
        IGNORED.put("app_version", "ignored (banner text)");
        IGNORED.put("log_color", "ignored (console colours come from logback)");
        IGNORED.put("request_timeout", timeouts);
        IGNORED.put("timeout_seconds", timeouts);
        IGNORED.put("cooldown_seconds", "ignored (seed B did not read it either; failure_cooldown is the key)");
        IGNORED.put("max_cache_size", "ignored: claude-lb caches no responses");
        IGNORED.put("cache_ttl_seconds", "ignored: claude-lb caches no responses");
    }

    private SeedBSettings() {
    }

    static Mapped map(ConfigNode s, ReadContext ctx) {
        for (String key : s.keys()) {
            if (IGNORED.containsKey(key)) {
                ctx.note(s.pathOf(key) + ": " + IGNORED.get(key));
            } else if (!MAPPED.contains(key)) {
                ctx.note(s.pathOf(key) + ": not a seed B setting claude-lb knows; ignored ("
                        + KeySuggestions.hint(key, MAPPED) + ")");
            }
        }
        List<ClientKey> clients = new ArrayList<>();
        List<String> exempt = auth(s.node("auth"), clients, ctx);
        ServerSettings server = server(s, clients, exempt, ctx);
        BalancingSettings balancing = balancing(s, ctx);
        HealthSettings health = health(s, ctx);
        LoggingSettings logging = logging(s, ctx);
        ConfigNode t = s.node("timeouts");
        return new Mapped(server, List.copyOf(clients), balancing, health, logging, timeouts(t, ctx),
                pool(t, ctx), dedup(s.node("deduplication"), ctx));
    }

    /**
     * {@code deduplication.*} onto {@code dedup}: {@code enabled} as it is, the historical response cache's
     * {@code cache.ttl} / {@code cache.max_content_size} onto {@code replay_ttl} / {@code max_replay_bytes}. Seed B
     * keyed on a few body fields and no principal; claude-lb always keys on the caller, the route and the whole body.
     */
    private static DedupSettings dedup(ConfigNode d, ReadContext ctx) {
        DedupSettings base = DedupSettings.DEFAULTS;
        if (d.isEmpty()) {
            return base;
        }
        for (String key : d.unknownKeys(List.of("enabled", "cache"))) {
            String why = switch (key) {
                case "include_max_tokens_in_signature" -> "ignored: claude-lb's key covers the whole request body";
                case "sse_error_cleanup_delay" -> "ignored: a call that failed is never shared; see dedup.linger";
                default -> "not a seed B setting; ignored";
            };
            ctx.note(d.pathOf(key) + ": " + why);
        }
        boolean enabled = d.bool("enabled", base.enabled());
        ConfigNode cache = d.node("cache");
        Duration ttl = cache.has("ttl") ? Duration.ofSeconds(cache.integer("ttl", 0)) : base.replayTtl();
        long maxBytes = cache.has("max_content_size") ? cache.size("max_content_size", base.maxReplayBytes())
                : base.maxReplayBytes();
        ctx.note(d.path() + " -> dedup (enabled " + enabled + (cache.isEmpty() ? ""
                : ", replay_ttl " + ttl.toSeconds() + "s, max_replay_bytes " + maxBytes) + ")");
        return ctx.build(d.path(), () -> new DedupSettings(enabled, base.linger(), ttl, maxBytes, base.maxEntries(),
                Math.max(base.maxReplayTotalBytes(), maxBytes)));
    }

    private static List<String> auth(ConfigNode a, List<ClientKey> clients, ReadContext ctx) {
        for (String key : a.unknownKeys(List.of("enabled", "api_key", "exempt_paths"))) {
            ctx.note(a.pathOf(key) + ": not a seed B setting; ignored");
        }
        if (a.bool("enabled", false)) {
            String key = a.required("api_key");
            clients.add(ctx.build(a.path(), Map.of("key", "api_key"), () -> new ClientKey("default",
                    Secret.of(key))));
            ctx.note(a.pathOf("api_key") + " -> clients[0] (name 'default'): callers present it as x-api-key or "
                    + "Authorization: Bearer, as with seed B");
        } else if (a.has("api_key")) {
            ctx.note(a.pathOf("api_key") + ": ignored because " + a.pathOf("enabled")
                    + " is false; callers need no key");
        }
        List<String> exempt = a.strings("exempt_paths");
        if (exempt != null) {
            ctx.note(a.pathOf("exempt_paths") + " -> server.auth_exempt_paths");
        }
        return exempt;
    }

    private static ServerSettings server(ConfigNode s, List<ClientKey> clients, List<String> exempt,
                                         ReadContext ctx) {
        String host = s.has("host") ? s.required("host") : DEFAULT_HOST;
        int port = s.integer("port", DEFAULT_PORT);
        ServerSettings d = ServerSettings.DEFAULTS;
        ServerSettings server = ctx.build(s.path(), () -> ServerSettings.builder().host(host).port(port)
                .authExemptPaths(exempt == null ? d.authExemptPaths() : exempt).build());
        String where = s.has("host") || s.has("port") ? "settings.host/port -> server.listen" : "server.listen";
        String note = where + ": " + host + ":" + port
                + (s.has("host") && s.has("port") ? "" : " (seed B's default " + DEFAULT_HOST + ":" + DEFAULT_PORT
                + " where not given)");
        if (!SettingsReader.isLoopback(host) && clients.isEmpty()) {
            note += "; with no client key claude-lb refuses to listen beyond this machine: set "
                    + "settings.auth.enabled and api_key, or use a native config with "
                    + "server.allow_unauthenticated_remote: true";
        }
        ctx.note(note);
        return server;
    }

    private static BalancingSettings balancing(ConfigNode s, ReadContext ctx) {
        BalancingSettings d = BalancingSettings.DEFAULTS;
        Strategy strategy = s.choice("selection_strategy", Strategy.values(), Strategy.PRIORITY);
        ctx.note(s.has("selection_strategy")
                ? s.pathOf("selection_strategy") + " -> balancing.strategy (" + strategy.configName() + ")"
                : "balancing.strategy: priority (seed B's default selection_strategy)");
        String stickyKey = s.has("sticky_provider_duration") ? "sticky_provider_duration"
                : s.has("idle_recovery_interval") ? "idle_recovery_interval" : null;
        if (stickyKey == null) {
            return new BalancingSettings(strategy, d.affinity(), d.affinityTtl(), d.affinityMaxEntries());
        }
        Duration sticky = s.duration(stickyKey, d.affinityTtl());
        if (sticky.isZero()) {
            ctx.note(s.pathOf(stickyKey) + " -> balancing.affinity none (0 turns stickiness off)");
            return new BalancingSettings(strategy, AffinityMode.NONE, d.affinityTtl(), d.affinityMaxEntries());
        }
        ctx.note(s.pathOf(stickyKey) + " -> balancing.affinity session, affinity_ttl " + Durations.format(sticky)
                + " (seed B kept one global sticky provider; claude-lb keeps each session on its upstream)");
        return ctx.build(s.path(), Map.of("affinity_ttl", stickyKey), () -> new BalancingSettings(strategy,
                AffinityMode.SESSION, sticky, d.affinityMaxEntries()));
    }

    private static HealthSettings health(ConfigNode s, ReadContext ctx) {
        HealthSettings d = HealthSettings.DEFAULTS;
        int threshold = s.integer("unhealthy_threshold", d.failureThreshold());
        Duration openFor = s.duration("failure_cooldown", d.openFor());
        Set<Integer> statuses = s.has("unhealthy_http_codes")
                ? SettingsReader.statuses(s, "unhealthy_http_codes") : d.extraFailureStatuses();
        List<String> patterns = s.has("unhealthy_response_body_patterns")
                ? SettingsReader.bodyPatterns(s, "unhealthy_response_body_patterns", true, ctx)
                : d.failureBodyPatterns();
        mapped(s, "unhealthy_threshold", "health.failure_threshold (" + threshold + ")", ctx);
        mapped(s, "failure_cooldown", "health.open_for (" + Durations.format(openFor) + ")", ctx);
        mapped(s, "unhealthy_http_codes", "health.extra_failure_statuses (count as failures and fail over; "
                + "429, 5xx and 529 always do)", ctx);
        mapped(s, "unhealthy_response_body_patterns", "health.failure_body_patterns (case-insensitive, matched "
                + "against the upstream's error body)", ctx);
        return ctx.build(s.path(), Map.of("failure_threshold", "unhealthy_threshold", "open_for",
                "failure_cooldown", "extra_failure_statuses", "unhealthy_http_codes"), () -> new HealthSettings(
                threshold, openFor, d.halfOpenProbes(), d.retryAfterCap(), statuses, patterns));
    }

    private static LoggingSettings logging(ConfigNode s, ReadContext ctx) {
        LoggingSettings d = LoggingSettings.DEFAULTS;
        String level = d.level();
        if (s.has("log_level")) {
            String raw = s.required("log_level");
            level = switch (raw.toLowerCase(Locale.ROOT)) {
                case "warning" -> "warn";
                case "critical", "fatal" -> "error";
                default -> raw.toLowerCase(Locale.ROOT);
            };
            if (!SettingsReader.LOG_LEVELS.contains(level)) {
                throw s.error("log_level", "unknown level '" + raw + "'; expected DEBUG, INFO, WARNING, ERROR or "
                        + "CRITICAL");
            }
            mapped(s, "log_level", "logging.level (" + level + ")", ctx);
        }
        String file = s.string("log_file_path", "");
        if (file.isBlank()) {
            return LoggingSettings.of(level, null);
        }
        mapped(s, "log_file_path", "logging.file with format: json (relative to the working directory, not seed "
                + "B's project root)", ctx);
        return LoggingSettings.of(level, file.trim());
    }

    private static TimeoutSettings timeouts(ConfigNode t, ReadContext ctx) {
        for (String key : t.keys()) {
            if (key.equals("caching")) {
                ctx.note(t.pathOf(key) + ": ignored (de-duplication timeouts)");
            } else if (!key.equals("non_streaming") && !key.equals("streaming")) {
                ctx.note(t.pathOf(key) + ": not a seed B setting claude-lb knows; ignored");
            }
        }
        ConfigNode ns = t.node("non_streaming");
        ConfigNode st = t.node("streaming");
        for (ConfigNode n : List.of(ns, st)) {
            for (String key : n.unknownKeys(List.of("connect_timeout", "read_timeout", "pool_timeout"))) {
                ctx.note(n.pathOf(key) + ": ignored");
            }
        }
        TimeoutSettings d = TimeoutSettings.DEFAULTS;
        Duration connect = longest(ns, st, "connect_timeout", d.connect());
        Duration firstByte = longest(ns, st, "read_timeout", d.firstByte());
        Duration idle = st.duration("read_timeout", d.idle());
        if (ns.has("connect_timeout") || st.has("connect_timeout")) {
            ctx.note(t.path() + ".*.connect_timeout -> upstreams[].timeouts.connect (" + Durations.format(connect)
                    + ")");
        }
        if (ns.has("read_timeout") || st.has("read_timeout")) {
            ctx.note(t.path() + ".*.read_timeout -> upstreams[].timeouts.first_byte (" + Durations.format(firstByte)
                    + ", the longer of the two)");
        }
        if (st.has("read_timeout")) {
            ctx.note(st.pathOf("read_timeout") + " -> upstreams[].timeouts.idle (" + Durations.format(idle)
                    + ", the longest gap between two reads of a stream)");
        }
        return ctx.build(t.path(), () -> new TimeoutSettings(connect, firstByte, idle));
    }

    private static PoolSettings pool(ConfigNode t, ReadContext ctx) {
        ConfigNode ns = t.node("non_streaming");
        ConfigNode st = t.node("streaming");
        PoolSettings d = PoolSettings.DEFAULTS;
        if (!ns.has("pool_timeout") && !st.has("pool_timeout")) {
            return d;
        }
        Duration acquire = longest(ns, st, "pool_timeout", d.acquireTimeout());
        ctx.note(t.path() + ".*.pool_timeout -> upstreams[].pool.acquire_timeout (" + Durations.format(acquire)
                + ")");
        return ctx.build(t.path(), () -> new PoolSettings(d.maxConnections(), d.maxPendingAcquires(), acquire,
                d.idleTimeout(), d.maxLifetime()));
    }

    private static Duration longest(ConfigNode a, ConfigNode b, String key, Duration defaultValue) {
        if (!a.has(key) && !b.has(key)) {
            return defaultValue;
        }
        Duration x = a.duration(key, Duration.ZERO);
        Duration y = b.duration(key, Duration.ZERO);
        return x.compareTo(y) >= 0 ? x : y;
    }

    private static void mapped(ConfigNode s, String key, String target, ReadContext ctx) {
        if (s.has(key)) {
            ctx.note(s.pathOf(key) + " -> " + target);
        }
    }
}
