package io.claudelb.core.config;

import io.claudelb.core.usage.PriceTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a native claude-lb file (the schema documented in {@code config/claude-lb.yaml}) into a
 * {@link GatewayConfig}. Every key is optional except {@code upstreams}; unknown keys are errors. Upstreams with
 * {@code enabled: false} are dropped together with the route targets that name them, so an operator can take one
 * out of service by flipping one flag.
 */
final class NativeConfigReader {
    static final List<String> KEYS = List.of("server", "admin", "clients", "upstreams", "routes", "balancing",
            "health", "retry", "logging", "databricks_models", "storage", "limits", "prices", "dedup");

    private NativeConfigReader() {
    }

    static GatewayConfig read(ConfigNode root, ReadContext ctx) {
        root.allowOnly(KEYS);
        ServerSettings server = SettingsReader.server(root.node("server"), ctx);
        AdminSettings admin = SettingsReader.admin(root.node("admin"), ctx);
        List<ClientKey> clients = SettingsReader.clients(root.nodes("clients"), ctx);
        if (!root.has("upstreams")) {
            throw root.error("upstreams", "is required: list at least one upstream (name, kind, base_url, auth)");
        }
        Map<String, UpstreamConfig> enabled = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        for (ConfigNode u : root.nodes("upstreams")) {
            u.allowOnly(UpstreamReader.KEYS);
            String name = u.required("name");
            if (enabled.containsKey(name) || disabled.contains(name)) {
                throw u.error("name", "duplicate upstream name '" + name + "'");
            }
            if (u.bool("enabled", true)) {
                enabled.put(name, UpstreamReader.read(u, ctx));
            } else {
                disabled.add(name);
                ctx.note(u.path() + " (" + name + "): enabled: false, left out");
            }
        }
        if (enabled.isEmpty()) {
            throw root.error("upstreams", disabled.isEmpty() ? "must list at least one upstream"
                    : "every upstream has enabled: false; enable at least one");
        }
        List<RouteConfig> routes = routes(root.nodes("routes"), enabled, disabled, ctx);
        BalancingSettings balancing = SettingsReader.balancing(root.node("balancing"), ctx);
        HealthSettings health = SettingsReader.health(root.node("health"), ctx);
        RetrySettings retry = SettingsReader.retry(root.node("retry"), ctx);
        LoggingSettings logging = SettingsReader.logging(root.node("logging"), ctx);
        ModelMap models = SettingsReader.databricksModels(root.node("databricks_models"), ctx);
        List<UpstreamConfig> upstreams = List.copyOf(enabled.values());
        StorageSettings storage = UsageSettingsReader.storage(root.node("storage"), ctx, Path.of(""));
        LimitsSettings limits = UsageSettingsReader.limits(root.node("limits"), root.nodes("clients"), ctx);
        PriceTable prices = UsageSettingsReader.prices(root.nodes("prices"), enabled.keySet());
        DedupSettings dedup = SettingsReader.dedup(root, ctx);
        return ctx.build("", () -> new GatewayConfig(ConfigFormat.NATIVE, server, admin, clients, upstreams, routes,
                balancing, health, retry, logging, models, ctx.notes(), storage, limits, prices, dedup));
    }

    private static List<RouteConfig> routes(List<ConfigNode> nodes, Map<String, UpstreamConfig> enabled,
                                            Set<String> disabled, ReadContext ctx) {
        List<RouteConfig> routes = new ArrayList<>();
        for (ConfigNode r : nodes) {
            r.allowOnly(List.of("match", "strategy", "targets", "dedup"));
            String match = r.required("match");
            boolean dedup = SettingsReader.switchedOn(r, "dedup");
            Strategy strategy = r.choice("strategy", Strategy.values(), null);
            List<ConfigNode> targetNodes = r.nodes("targets");
            if (targetNodes.isEmpty()) {
                throw r.error("targets", "must list at least one target (upstream: name)");
            }
            List<TargetConfig> targets = new ArrayList<>();
            for (ConfigNode t : targetNodes) {
                t.allowOnly(List.of("upstream", "model", "priority", "weight"));
                String name = t.required("upstream");
                UpstreamConfig upstream = enabled.get(name);
                if (upstream == null && disabled.contains(name)) {
                    ctx.note(t.pathOf("upstream") + ": upstream '" + name + "' is disabled; target left out");
                    continue;
                }
                if (upstream == null) {
                    throw t.error("upstream", "no upstream named '" + name + "'; "
                            + KeySuggestions.hint(name, enabled.keySet(), "upstreams"));
                }
                String model = targetModel(t.string("model"));
                int priority = t.integer("priority", upstream.priority());
                int weight = t.integer("weight", 0);
                targets.add(ctx.build(t.path(), () -> new TargetConfig(name, model, priority, weight)));
            }
            if (targets.isEmpty()) {
                ctx.note(r.path() + " (" + match + "): every target is disabled; route left out");
                continue;
            }
            routes.add(ctx.build(r.path(), () -> new RouteConfig(match, targets, strategy, dedup)));
        }
        return routes;
    }

    /** null or blank: the upstream kind's default; {@code passthrough} in any case: keep the client's model. */
    static String targetModel(String model) {
        if (model == null || model.isBlank()) {
            return null;
        }
        String m = model.trim();
        return m.toLowerCase(Locale.ROOT).equals(TargetConfig.PASSTHROUGH) ? TargetConfig.PASSTHROUGH : m;
    }
}
