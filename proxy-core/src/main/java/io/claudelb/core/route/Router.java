package io.claudelb.core.route;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.ModelMap;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.match.ModelPattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Maps a requested model to a {@link RouteDecision}: routes are tried in config order, the first whose pattern
 * matches wins. With no routes configured every upstream is a target of one catch-all route. Built once per config
 * snapshot; immutable and thread-safe.
 *
 * <p>A target with no explicit model gets its upstream kind's default: the client's model, except on
 * {@code databricks} ({@link DatabricksModels}: the same family and version, or the newest of the family the workspace
 * serves, from the {@link ServedModels} injected here), {@code bedrock} ({@link ModelMap#BEDROCK}) and {@code vertex}
 * ({@link VertexModels}) upstreams.
 */
public final class Router {
    private final List<CompiledRoute> routes;
    private final Strategy defaultStrategy;
    private final ModelMap databricksModels;
    private final ServedModels served;

    private record CompiledRoute(ModelPattern pattern, RouteConfig config, List<ResolvedTarget> targets) {
    }

    private record ResolvedTarget(UpstreamConfig upstream, TargetConfig config) {
    }

    /** A router that knows nothing about what upstreams serve (no discovery). */
    public Router(GatewayConfig config) {
        this(config, ServedModels.UNKNOWN);
    }

    /** @param served what each upstream serves, as discovered; read per request, so it may change underneath */
    public Router(GatewayConfig config, ServedModels served) {
        this.served = java.util.Objects.requireNonNull(served, "served");
        this.defaultStrategy = config.balancing().strategy();
        this.databricksModels = config.databricksModels();
        Map<String, UpstreamConfig> byName = config.upstreamsByName();
        List<RouteConfig> source = config.routes().isEmpty() ? List.of(catchAll(config)) : config.routes();
        List<CompiledRoute> compiled = new ArrayList<>();
        for (RouteConfig route : source) {
            List<ResolvedTarget> targets = new ArrayList<>();
            for (TargetConfig t : route.targets()) {
                targets.add(new ResolvedTarget(byName.get(t.upstream()), t));
            }
            compiled.add(new CompiledRoute(new ModelPattern(route.match()), route, List.copyOf(targets)));
        }
        this.routes = List.copyOf(compiled);
    }

    private static RouteConfig catchAll(GatewayConfig config) {
        List<TargetConfig> targets = new ArrayList<>();
        for (UpstreamConfig u : config.upstreams()) {
            targets.add(new TargetConfig(u.name(), null, u.priority(), 0));
        }
        return new RouteConfig("*", targets, null);
    }

    /** The decision for a model, or null when no route matches it. */
    public RouteDecision route(String requestedModel) {
        for (CompiledRoute route : routes) {
            if (route.pattern().matches(requestedModel)) {
                return decide(requestedModel, route);
            }
        }
        return null;
    }

    private RouteDecision decide(String requestedModel, CompiledRoute route) {
        List<Target> targets = new ArrayList<>(route.targets().size());
        for (ResolvedTarget t : route.targets()) {
            int weight = t.config().weight() > 0 ? t.config().weight() : t.upstream().weight();
            targets.add(new Target(t.upstream(), targetModel(requestedModel, t), t.config().priority(), weight));
        }
        Strategy strategy = route.config().strategy() != null ? route.config().strategy() : defaultStrategy;
        return new RouteDecision(requestedModel, route.config().match(), targets, strategy, route.config().dedup());
    }

    /** The model to send to one target, or null to leave the client's model bytes untouched. */
    private String targetModel(String requested, ResolvedTarget t) {
        String configured = t.config().model();
        String model;
        if (TargetConfig.PASSTHROUGH.equalsIgnoreCase(configured == null ? "" : configured)) {
            model = null;
        } else if (configured != null) {
            model = configured;
        } else {
            model = defaultModel(requested, t.upstream());
        }
        return model == null || model.equals(requested) ? null : model;
    }

    /** The model an upstream gets for {@code requested} when its target names none; null keeps the client's. */
    public String defaultModel(String requested, UpstreamConfig upstream) {
        return switch (upstream.kind()) {
            case DATABRICKS -> DatabricksModels.resolve(requested, upstream.databricks().api(), databricksModels,
                    served.served(upstream.name()), upstream.name(), served);
            case BEDROCK -> ModelMap.BEDROCK.map(requested);
            case VERTEX -> VertexModels.toVertex(requested);
            case ANTHROPIC, OPENAI -> null;
        };
    }

    /** What the upstreams serve, as discovered (the set this router routes by). */
    public ServedModels served() {
        return served;
    }

    /** Route patterns in order (for /v1/models, check-config, stats). */
    public List<RouteConfig> routes() {
        return routes.stream().map(CompiledRoute::config).toList();
    }
}
