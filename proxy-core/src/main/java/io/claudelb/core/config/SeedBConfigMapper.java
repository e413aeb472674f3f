package io.claudelb.core.config;

import io.claudelb.core.usage.PriceTable;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps seed B's files onto the native records: {@code config.yaml} ({@code providers[]}, {@code model_routes},
 * {@code settings}) and the older {@code providers.yaml} whose providers carry {@code big_model}/{@code small_model}.
 * Providers become upstreams ({@code type} -> kind, {@code auth_type}/{@code auth_value} -> auth, {@code proxy}),
 * routes keep seed B's order (exact model names first, then patterns in file order), and unknown keys are accepted
 * with a note. Claude Code OAuth providers are refused with an explanation: claude-lb does not impersonate the
 * Claude Code client.
 */
final class SeedBConfigMapper {
    private static final List<String> KEYS = List.of("providers", "model_routes", "settings");
    private static final List<String> PROVIDER_KEYS = List.of("name", "type", "base_url", "auth_type", "auth_value",
            "enabled", "proxy", "streaming_mode", "big_model", "small_model");
    private static final List<String> TARGET_KEYS = List.of("provider", "model", "priority", "enabled");
    private static final UpstreamKind[] KINDS = {UpstreamKind.ANTHROPIC, UpstreamKind.OPENAI};
    /** providers.yaml's rule: opus and sonnet use big_model, haiku small_model, anything else big_model. */
    private static final List<String> FAMILY_PATTERNS = List.of("*opus*", "*sonnet*", "*haiku*", "*");

    private SeedBConfigMapper() {
    }

    static GatewayConfig map(ConfigNode root, ReadContext ctx, boolean providersYaml) {
        for (String key : root.unknownKeys(KEYS)) {
            ctx.note(root.pathOf(key) + ": not a seed B key; ignored (" + KeySuggestions.hint(key, KEYS) + ")");
        }
        SeedBSettings.Mapped settings = ctx.part(() -> SeedBSettings.map(root.node("settings"), ctx),
                SeedBSettings.Mapped.DEFAULTS);
        List<ConfigNode> nodes = root.nodes("providers");
        if (nodes.isEmpty()) {
            throw root.error("providers", "must list at least one provider");
        }
        Map<String, UpstreamConfig> enabled = new LinkedHashMap<>();
        Map<String, String[]> familyModels = new LinkedHashMap<>();
        Set<String> disabled = new LinkedHashSet<>();
        Set<String> seen = new LinkedHashSet<>();
        Set<String> broken = new LinkedHashSet<>();
        int before = ctx.errorCount();
        for (ConfigNode p : nodes) {
            ctx.part(() -> {
                String name = p.required("name");
                if (!seen.add(name)) {
                    throw p.error("name", "duplicate provider name '" + name + "'");
                }
                for (String key : p.unknownKeys(PROVIDER_KEYS)) {
                    ctx.note(p.pathOf(key) + ": not a seed B provider key; ignored ("
                            + KeySuggestions.hint(key, PROVIDER_KEYS) + ")");
                }
                if (!p.bool("enabled", true)) {
                    disabled.add(name);
                    ctx.note(p.path() + " (" + name + "): enabled: false, left out");
                    return null;
                }
                // A provider with an error is left out of the routes silently: that error is already reported.
                broken.add(name);
                enabled.put(name, provider(p, name, settings, ctx));
                broken.remove(name);
                familyModels.put(name, new String[] {p.string("big_model"), p.string("small_model")});
                return null;
            }, null);
        }
        if (enabled.isEmpty() && ctx.errorCount() == before) {
            throw root.error("providers", "no provider is enabled (seed B refused to start too)");
        }
        noteProviderKeys(nodes, providersYaml, ctx);
        List<RouteConfig> routes = providersYaml
                ? familyRoutes(familyModels, ctx)
                : modelRoutes(root.node("model_routes"), enabled, disabled, broken, ctx);
        ctx.failIfErrors();
        List<UpstreamConfig> upstreams = List.copyOf(enabled.values());
        ConfigFormat format = providersYaml ? ConfigFormat.SEED_B_PROVIDERS : ConfigFormat.SEED_B;
        return ctx.build("", () -> new GatewayConfig(format, settings.server(), AdminSettings.DEFAULTS,
                settings.clients(), upstreams, routes, settings.balancing(), settings.health(), RetrySettings.DEFAULTS,
                settings.logging(), ModelMap.SEED_A, ctx.notes(), StorageSettings.DISABLED, LimitsSettings.NONE,
                PriceTable.DEFAULTS, settings.dedup()));
    }

    private static UpstreamConfig provider(ConfigNode p, String name, SeedBSettings.Mapped settings,
                                           ReadContext ctx) {
        if (!p.has("type")) {
            throw p.error("type", "is required (anthropic or openai)");
        }
        UpstreamKind kind = p.choice("type", KINDS, UpstreamKind.ANTHROPIC);
        URI base = ctx.part(() -> UpstreamReader.url(p, "base_url"), null);
        String authType = p.required("auth_type").toLowerCase(Locale.ROOT);
        String authValue = p.required("auth_value");
        UpstreamAuth auth;
        if (authValue.equals("passthrough")) {
            auth = new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null);
        } else {
            auth = switch (authType) {
                case "api_key" -> kind == UpstreamKind.ANTHROPIC
                        ? UpstreamAuth.apiKey(authValue) : UpstreamAuth.bearer(authValue);
                case "auth_token" -> UpstreamAuth.bearer(authValue);
                case "oauth" -> throw p.error("auth_type", "oauth (a Claude Code account login) is not supported: "
                        + "claude-lb does not impersonate the Claude Code client. Use auth_value: passthrough to "
                        + "forward each caller's own credential, or a native config with auth type oauth_refresh "
                        + "and an operator-supplied refresh token");
                default -> throw p.error("auth_type", "unknown auth_type '" + authType
                        + "'; expected api_key, auth_token or oauth");
            };
        }
        OutboundProxy proxy = OutboundProxies.read(p, "proxy");
        return ctx.build(p.path(), Map.of("token", "auth_value"), () -> UpstreamConfig.builder(name, kind)
                .baseUrl(base).auth(auth).pool(settings.pool()).timeouts(settings.timeouts()).proxy(proxy).build());
    }

    private static void noteProviderKeys(List<ConfigNode> nodes, boolean providersYaml, ReadContext ctx) {
        ctx.note("providers[] -> upstreams[] (enabled ones only, as seed B)");
        ctx.note("providers[].type -> upstreams[].kind (anthropic: {base_url}/v1/messages; openai: "
                + "{base_url}/chat/completions, translated)");
        ctx.note("providers[].auth_type/auth_value -> upstreams[].auth (api_key: x-api-key, or Bearer for openai; "
                + "auth_token: bearer; auth_value passthrough: the caller's own credential)");
        if (nodes.stream().anyMatch(n -> n.has("proxy"))) {
            ctx.note("providers[].proxy -> upstreams[].proxy (HTTP CONNECT)");
        }
        if (nodes.stream().anyMatch(n -> n.has("streaming_mode"))) {
            ctx.note("providers[].streaming_mode: ignored; claude-lb relays every stream as it arrives");
        }
        if (!providersYaml && nodes.stream().anyMatch(n -> n.has("big_model") || n.has("small_model"))) {
            ctx.note("providers[].big_model/small_model: ignored; model_routes decides the models");
        }
    }

    private static List<RouteConfig> modelRoutes(ConfigNode mr, Map<String, UpstreamConfig> enabled,
                                                 Set<String> disabled, Set<String> broken, ReadContext ctx) {
        List<String> ordered = new ArrayList<>();
        mr.keys().stream().filter(k -> k.indexOf('*') < 0).forEach(ordered::add);
        mr.keys().stream().filter(k -> k.indexOf('*') >= 0).forEach(ordered::add);
        List<RouteConfig> routes = new ArrayList<>();
        for (String pattern : ordered) {
            List<TargetConfig> targets = new ArrayList<>();
            for (ConfigNode t : mr.nodes(pattern)) {
                TargetConfig target = ctx.part(() -> target(t, enabled, disabled, broken, ctx), null);
                if (target != null) {
                    targets.add(target);
                }
            }
            if (targets.isEmpty()) {
                ctx.note(mr.pathOf(pattern) + ": no enabled target; route left out");
                continue;
            }
            if (pattern.indexOf('*') >= 0 && !(pattern.startsWith("*") && pattern.endsWith("*"))) {
                ctx.note(mr.pathOf(pattern) + ": matched against the whole model name (seed B matched it "
                        + "anywhere inside the name)");
            }
            routes.add(ctx.build(mr.pathOf(pattern), () -> new RouteConfig(pattern, targets, null)));
        }
        if (routes.isEmpty()) {
            ctx.note("model_routes: no usable route; every model goes to every provider (catch-all '*')");
        } else {
            ctx.note("model_routes -> routes (" + routes.size() + "; exact names first, then patterns in file "
                    + "order; the first match wins; model passthrough keeps the client's model)");
        }
        return routes;
    }

    private static TargetConfig target(ConfigNode t, Map<String, UpstreamConfig> enabled, Set<String> disabled,
                                       Set<String> broken, ReadContext ctx) {
        for (String key : t.unknownKeys(TARGET_KEYS)) {
            ctx.note(t.pathOf(key) + ": not a seed B route key; ignored (" + KeySuggestions.hint(key, TARGET_KEYS)
                    + ")");
        }
        String provider = t.required("provider");
        if (!t.bool("enabled", true)) {
            ctx.note(t.path() + ": enabled: false, target left out");
            return null;
        }
        if (broken.contains(provider)) {
            return null;
        }
        if (!enabled.containsKey(provider)) {
            ctx.note(t.pathOf("provider") + ": " + (disabled.contains(provider)
                    ? "provider '" + provider + "' is disabled"
                    : "no provider named '" + provider + "' (" + KeySuggestions.hint(provider, enabled.keySet(),
                    "providers") + ")") + "; target left out, as seed B skipped it");
            return null;
        }
        String model = NativeConfigReader.targetModel(t.string("model"));
        int priority = t.integer("priority", 0);
        return ctx.build(t.path(), () -> new TargetConfig(provider, model, priority, 0));
    }

    private static List<RouteConfig> familyRoutes(Map<String, String[]> familyModels, ReadContext ctx) {
        List<RouteConfig> routes = new ArrayList<>();
        for (String pattern : FAMILY_PATTERNS) {
            boolean small = pattern.equals("*haiku*");
            List<TargetConfig> targets = new ArrayList<>();
            int priority = 0;
            for (Map.Entry<String, String[]> e : familyModels.entrySet()) {
                String model = NativeConfigReader.targetModel(e.getValue()[small ? 1 : 0]);
                targets.add(new TargetConfig(e.getKey(), model == null ? TargetConfig.PASSTHROUGH : model,
                        priority++, 0));
            }
            routes.add(new RouteConfig(pattern, targets, null));
        }
        ctx.note("providers[].big_model -> routes '*opus*', '*sonnet*' and '*' (target model; providers tried in "
                + "file order)");
        ctx.note("providers[].small_model -> route '*haiku*' (target model; providers tried in file order)");
        familyModels.forEach((name, models) -> {
            if (models[0] == null || models[1] == null) {
                ctx.note("providers[] (" + name + "): " + (models[0] == null ? "big_model" : "small_model")
                        + " not given; the client's model is passed through");
            }
        });
        return routes;
    }
}
