package io.claudelb.core.config;

import io.claudelb.core.usage.PriceTable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Maps seed A's {@code config.yaml} ({@code load_balancer}, {@code auth.api_key}, {@code endpoints[]}) onto the
 * native records, so a seed A user starts claude-lb with their file unchanged. Endpoints become {@code databricks}
 * upstreams with bearer auth and seed A's model family table; there are no routes (every upstream serves every
 * model). Keys seed A did not know are ignored with a note, as seed A ignored them.
 */
final class SeedAConfigMapper {
    private static final List<String> KEYS = List.of("load_balancer", "auth", "endpoints");
    /** A '//' after whitespace: seed A's sample wrote comments that way, and YAML keeps them in the value. */
    private static final Pattern SLASH_COMMENT = Pattern.compile("\\s//");

    private SeedAConfigMapper() {
    }

    static GatewayConfig map(ConfigNode root, ReadContext ctx) {
        ignoreUnknown(root, KEYS, ctx);
        ConfigNode lb = root.node("load_balancer");
        ignoreUnknown(lb, List.of("strategy", "circuit_breaker_threshold", "circuit_breaker_timeout"), ctx);
        BalancingSettings b = BalancingSettings.DEFAULTS;
        BalancingSettings balancing = new BalancingSettings(strategy(lb, ctx), b.affinity(), b.affinityTtl(),
                b.affinityMaxEntries());
        HealthSettings health = ctx.part(() -> health(lb, ctx), null);
        List<ClientKey> clients = ctx.part(() -> clients(root.node("auth"), ctx), List.of());
        List<UpstreamConfig> upstreams = endpoints(root, ctx);
        ctx.failIfErrors();
        ctx.note("model names -> databricks_models (seed A's table: names containing opus / sonnet / haiku -> "
                + "databricks-claude-opus-4-5 / databricks-claude-sonnet-4-5 / databricks-claude-haiku-4-5, "
                + "databricks-* unchanged, anything else -> databricks-claude-sonnet-4-5)");
        ServerSettings server = ServerSettings.DEFAULTS;
        ctx.note("server.listen: " + server.host() + ":" + server.port() + " (seed A served 0.0.0.0:8000; "
                + "claude-lb answers this machine only by default). To accept other machines start it with "
                + "--host 0.0.0.0" + (clients.isEmpty()
                ? "; with no auth.api_key it refuses to: set auth.api_key first, or move to a native config "
                + "with server.allow_unauthenticated_remote: true"
                : "; callers must then present auth.api_key"));
        return ctx.build("", () -> new GatewayConfig(ConfigFormat.SEED_A, server, AdminSettings.DEFAULTS, clients,
                upstreams, List.of(), balancing, health, RetrySettings.DEFAULTS, LoggingSettings.DEFAULTS,
                ModelMap.SEED_A, ctx.notes(), StorageSettings.DISABLED, LimitsSettings.NONE, PriceTable.DEFAULTS,
                DedupSettings.DEFAULTS));
    }

    private static Strategy strategy(ConfigNode lb, ReadContext ctx) {
        if (!lb.has("strategy")) {
            return Strategy.LEAST_REQUESTS;
        }
        String raw = lb.string("strategy").trim();
        String name = raw.toLowerCase(Locale.ROOT);
        Strategy strategy = switch (name) {
            case "least_requests" -> Strategy.LEAST_REQUESTS;
            case "round_robin" -> Strategy.ROUND_ROBIN;
            default -> Strategy.RANDOM;
        };
        String why = switch (name) {
            case "least_requests", "random" -> "";
            case "round_robin" -> "; seed A always picked the first endpoint, claude-lb really rotates";
            default -> "; seed A treated '" + raw + "' as random";
        };
        ctx.note(lb.pathOf("strategy") + " -> balancing.strategy (" + strategy.configName() + why + ")");
        return strategy;
    }

    private static HealthSettings health(ConfigNode lb, ReadContext ctx) {
        HealthSettings d = HealthSettings.DEFAULTS;
        int threshold = lb.integer("circuit_breaker_threshold", d.failureThreshold());
        Duration openFor = lb.duration("circuit_breaker_timeout", d.openFor());
        if (lb.has("circuit_breaker_threshold")) {
            ctx.note(lb.pathOf("circuit_breaker_threshold") + " -> health.failure_threshold (" + threshold
                    + " consecutive failures; seed A counted every error since the last trip)");
        }
        if (lb.has("circuit_breaker_timeout")) {
            ctx.note(lb.pathOf("circuit_breaker_timeout") + " -> health.open_for (" + Durations.format(openFor)
                    + ", then one probe request decides)");
        }
        return ctx.build(lb.path(), Map.of("failure_threshold", "circuit_breaker_threshold",
                "open_for", "circuit_breaker_timeout"), () -> new HealthSettings(threshold, openFor,
                d.halfOpenProbes(), d.retryAfterCap(), d.extraFailureStatuses(), d.failureBodyPatterns()));
    }

    private static List<ClientKey> clients(ConfigNode auth, ReadContext ctx) {
        ignoreUnknown(auth, List.of("api_key"), ctx);
        String apiKey = auth.string("api_key", "");
        if (apiKey.isEmpty()) {
            ctx.note("auth.api_key is empty -> no client keys: callers need no key (claude-lb, unlike seed A, "
                    + "also accepts callers that send one)");
            return List.of();
        }
        warnSlashComment(auth.pathOf("api_key"), apiKey, ctx);
        ctx.note("auth.api_key -> clients[0] (name 'default'): callers present it as x-api-key or "
                + "Authorization: Bearer, as with seed A");
        return List.of(new ClientKey("default", Secret.of(apiKey)));
    }

    private static List<UpstreamConfig> endpoints(ConfigNode root, ReadContext ctx) {
        List<ConfigNode> nodes = root.nodes("endpoints");
        if (nodes.isEmpty()) {
            throw root.error("endpoints", "must list at least one endpoint (name, api_base, token)");
        }
        List<UpstreamConfig> upstreams = new ArrayList<>();
        Set<String> names = new HashSet<>();
        boolean weights = false;
        for (ConfigNode e : nodes) {
            weights |= e.has("weight");
            UpstreamConfig upstream = ctx.part(() -> endpoint(e, names, ctx), null);
            if (upstream != null) {
                upstreams.add(upstream);
            }
        }
        ctx.note("endpoints[] -> upstreams[] (kind databricks: {base_url}/anthropic/v1/messages; "
                + upstreams.size() + " upstream" + (upstreams.size() == 1 ? "" : "s") + ")");
        ctx.note("endpoints[].api_base -> upstreams[].base_url");
        ctx.note("endpoints[].token -> upstreams[].auth (type bearer: Authorization: Bearer <token>)");
        if (weights) {
            ctx.note("endpoints[].weight -> upstreams[].weight (seed A ignored it; claude-lb's round_robin and "
                    + "random strategies use it)");
        }
        return upstreams;
    }

    /** One {@code endpoints[]} entry; its errors are its own, the other endpoints are still read. */
    private static UpstreamConfig endpoint(ConfigNode e, Set<String> names, ReadContext ctx) {
        ignoreUnknown(e, List.of("name", "api_base", "token", "weight"), ctx);
        String name = e.required("name");
        if (!names.add(name)) {
            throw e.error("name", "duplicate endpoint name '" + name + "'");
        }
        URI base = ctx.part(() -> UpstreamReader.url(e, "api_base"), null);
        int weight = e.integer("weight", UpstreamConfig.DEFAULT_WEIGHT);
        String token = e.required("token");
        warnSlashComment(e.pathOf("token"), token, ctx);
        return ctx.build(e.path(), Map.of("base_url", "api_base"), () -> UpstreamConfig.builder(name,
                UpstreamKind.DATABRICKS).baseUrl(base).auth(UpstreamAuth.bearer(token)).weight(weight).build());
    }

    private static void warnSlashComment(String key, String value, ReadContext ctx) {
        if (SLASH_COMMENT.matcher(value).find()) {
            // Never quote the value: it is a credential.
            ctx.note(key + ": the value contains ' //'; YAML has no // comments, so the text after it is part of "
                    + "the value (as it was for seed A). Write comments after ' #' instead");
        }
    }

    private static void ignoreUnknown(ConfigNode n, List<String> known, ReadContext ctx) {
        for (String key : n.unknownKeys(known)) {
            ctx.note(n.pathOf(key) + ": not a seed A key; ignored (" + KeySuggestions.hint(key, known) + ")");
        }
    }
}
