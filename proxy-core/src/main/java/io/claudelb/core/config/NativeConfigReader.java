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
 * out of service by flipping one flag. Each section and each list entry is read on its own ({@link ReadContext#part}),
 * so an error in one does not hide the errors of the others; a target naming an upstream whose entry had an error
 * is left out silently (that error is already reported).
 */
final class NativeConfigReader {
    static final List<String> KEYS = List.of("server", "admin", "clients", "upstreams", "routes", "balancing",
            "health", "retry", "logging", "databricks_models", "storage", "limits", "prices", "dedup", "metrics");

    private NativeConfigReader() {
    }

    static GatewayConfig read(ConfigNode root, ReadContext ctx) {
        root.allowOnly(KEYS);
        ServerSettings server = ctx.part(() -> SettingsReader.server(root.node("server"), ctx), null);
        AdminSettings admin = ctx.part(() -> SettingsReader.admin(root.node("admin"), ctx), null);
        List<ClientKey> clients = SettingsReader.clients(root.nodes("clients"), ctx);
        if (!root.has("upstreams")) {
            throw root.error("upstreams", "is required: list at least one upstream (name, kind, base_url, auth)");
        }
        Map<String, UpstreamConfig> enabled = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        Set<String> broken = new LinkedHashSet<>();
        int before = ctx.errorCount();
        for (ConfigNode u : root.nodes("upstreams")) {
            ctx.part(() -> upstream(u, enabled, disabled, broken, ctx), null);
        }
        if (enabled.isEmpty() && ctx.errorCount() == before) {
            throw root.error("upstreams", disabled.isEmpty() ? "must list at least one upstream"
                    : "every upstream has enabled: false; enable at least one");
        }
        List<RouteConfig> routes = routes(root.nodes("routes"), enabled, disabled, broken, ctx);
        BalancingSettings balancing = ctx.part(() -> SettingsReader.balancing(root.node("balancing"), ctx), null);
        HealthSettings health = ctx.part(() -> SettingsReader.health(root.node("health"), ctx), null);
        RetrySettings retry = ctx.part(() -> SettingsReader.retry(root.node("retry"), ctx), null);
        LoggingSettings logging = ctx.part(() -> SettingsReader.logging(root.node("logging"), ctx), null);
        ModelMap models = ctx.part(() -> SettingsReader.databricksModels(root.node("databricks_models"), ctx),
                null);
        StorageSettings storage = ctx.part(() -> UsageSettingsReader.storage(root.node("storage"), ctx,
                Path.of("")), null);
        LimitsSettings limits = ctx.part(() -> UsageSettingsReader.limits(root.node("limits"), root.nodes("clients"),
                ctx), null);
        PriceTable prices = ctx.part(() -> UsageSettingsReader.prices(root.nodes("prices"), enabled.keySet()), null);
        DedupSettings dedup = ctx.part(() -> SettingsReader.dedup(root, ctx), null);
        MetricsSettings metrics = ctx.part(() -> SettingsReader.metrics(root.node("metrics"), ctx), null);
        ctx.failIfErrors();
        List<UpstreamConfig> upstreams = List.copyOf(enabled.values());
        return ctx.build("", () -> new GatewayConfig(ConfigFormat.NATIVE, server, admin, clients, upstreams, routes,
                balancing, health, retry, logging, models, ctx.notes(), storage, limits, prices, dedup, metrics));
    }

    /** One {@code upstreams[]} entry, filed under enabled, disabled, or broken (its error is reported). */
    private static Void upstream(ConfigNode u, Map<String, UpstreamConfig> enabled, Set<String> disabled,
                                 Set<String> broken, ReadContext ctx) {
        u.allowOnly(UpstreamReader.KEYS);
        String name = u.required("name");
        if (enabled.containsKey(name) || disabled.contains(name) || broken.contains(name)) {
            throw u.error("name", "duplicate upstream name '" + name + "'");
        }
        if (!u.bool("enabled", true)) {
            disabled.add(name);
            ctx.note(u.path() + " (" + name + "): enabled: false, left out");
            return null;
        }
        int before = ctx.errorCount();
        UpstreamConfig upstream = ctx.part(() -> UpstreamReader.read(u, ctx), null);
        if (upstream == null || ctx.errorCount() > before) {
            broken.add(name);
        } else {
            enabled.put(name, upstream);
        }
        return null;
    }

    private static List<RouteConfig> routes(List<ConfigNode> nodes, Map<String, UpstreamConfig> enabled,
                                            Set<String> disabled, Set<String> broken, ReadContext ctx) {
        List<RouteConfig> routes = new ArrayList<>();
        for (ConfigNode r : nodes) {
            RouteConfig route = ctx.part(() -> route(r, enabled, disabled, broken, ctx), null);
            if (route != null) {
                routes.add(route);
            }
        }
        return routes;
    }

    /** One {@code routes[]} entry, or null when it is left out (every target disabled, or an error reported). */
    private static RouteConfig route(ConfigNode r, Map<String, UpstreamConfig> enabled, Set<String> disabled,
                                     Set<String> broken, ReadContext ctx) {
        r.allowOnly(List.of("match", "strategy", "targets", "dedup"));
        String match = r.required("match");
        boolean dedup = SettingsReader.switchedOn(r, "dedup");
        Strategy strategy = r.choice("strategy", Strategy.values(), null);
        List<ConfigNode> targetNodes = r.nodes("targets");
        if (targetNodes.isEmpty()) {
            throw r.error("targets", "must list at least one target (upstream: name)");
        }
        int before = ctx.errorCount();
        List<TargetConfig> targets = new ArrayList<>();
        for (ConfigNode t : targetNodes) {
            TargetConfig target = ctx.part(() -> target(t, enabled, disabled, broken, ctx), null);
            if (target != null) {
                targets.add(target);
            }
        }
        if (ctx.errorCount() > before) {
            return null;
        }
        if (targets.isEmpty()) {
            ctx.note(r.path() + " (" + match + "): every target is disabled; route left out");
            return null;
        }
        return ctx.build(r.path(), () -> new RouteConfig(match, targets, strategy, dedup));
    }

    /** One target, or null when it names a disabled upstream (noted) or one whose entry had an error. */
    private static TargetConfig target(ConfigNode t, Map<String, UpstreamConfig> enabled, Set<String> disabled,
                                       Set<String> broken, ReadContext ctx) {
        t.allowOnly(List.of("upstream", "model", "priority", "weight"));
        String name = t.required("upstream");
        UpstreamConfig upstream = enabled.get(name);
        if (upstream == null && disabled.contains(name)) {
            ctx.note(t.pathOf("upstream") + ": upstream '" + name + "' is disabled; target left out");
            return null;
        }
        if (upstream == null && broken.contains(name)) {
            return null;
        }
        if (upstream == null) {
            Set<String> known = new LinkedHashSet<>(enabled.keySet());
            known.addAll(broken);
            throw t.error("upstream", "no upstream named '" + name + "'; "
                    + KeySuggestions.hint(name, known, "upstreams"));
        }
        String model = targetModel(t.string("model"));
        int priority = t.integer("priority", upstream.priority());
        int weight = t.integer("weight", 0);
        return ctx.build(t.path(), () -> new TargetConfig(name, model, priority, weight));
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
