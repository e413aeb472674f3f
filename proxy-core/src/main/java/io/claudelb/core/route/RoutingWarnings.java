package io.claudelb.core.route;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.match.ModelPattern;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a valid config most likely did not mean: routes no request can reach (placed after a route whose pattern
 * matches every model theirs does, a {@code *} catch-all above all) and upstreams no reachable route sends anything
 * to. Printed by {@code check-config} and logged when the gateway starts or reloads; never an error, since a file
 * that used to load keeps loading.
 */
public final class RoutingWarnings {
    private RoutingWarnings() {
    }

    /** One line per problem, in route order then upstream order; empty when there is none. */
    public static List<String> of(GatewayConfig config) {
        List<String> warnings = new ArrayList<>();
        if (config.routes().isEmpty()) {
            return warnings; // the implicit catch-all route sends every model to every upstream
        }
        List<ModelPattern> earlier = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (RouteConfig route : config.routes()) {
            ModelPattern pattern = new ModelPattern(route.match());
            ModelPattern cover = earlier.stream().filter(p -> p.covers(pattern)).findFirst().orElse(null);
            if (cover == null) {
                route.targets().stream().map(TargetConfig::upstream).forEach(used::add);
            } else {
                warnings.add("route '" + route.match() + "' is never used: " + (cover.source().equals("*")
                        ? "it comes after the catch-all route '*'"
                        : "the earlier route '" + cover.source() + "' matches every model it matches")
                        + " (the first matching route wins)");
            }
            earlier.add(pattern);
        }
        for (UpstreamConfig u : config.upstreams()) {
            if (!used.contains(u.name())) {
                warnings.add("upstream '" + u.name() + "' gets no request: no reachable route has it as a target");
            }
        }
        return warnings;
    }
}
