package io.claudelb.core.balance;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.ConfigFormat;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Configs, targets and decisions for balancer tests, with no file and no socket. */
final class Fixtures {
    static final Duration OPEN_FOR = Duration.ofSeconds(60);
    static final Duration RETRY_AFTER_CAP = Duration.ofSeconds(60);
    static final Duration AFFINITY_TTL = Duration.ofHours(1);

    private Fixtures() {
    }

    static UpstreamConfig upstream(String name, int weight, int priority) {
        return UpstreamConfig.builder(name, UpstreamKind.ANTHROPIC).baseUrl("http://" + name + ".invalid")
                .weight(weight).priority(priority).countTokens(false).build();
    }

    static UpstreamConfig upstream(String name) {
        return upstream(name, 1, 0);
    }

    static HealthSettings health(int threshold, int probes) {
        return new HealthSettings(threshold, OPEN_FOR, probes, RETRY_AFTER_CAP, Set.of(), List.of());
    }

    static BalancingSettings balancing(AffinityMode affinity) {
        return new BalancingSettings(Strategy.LEAST_REQUESTS, affinity, AFFINITY_TTL, 100_000);
    }

    static GatewayConfig config(BalancingSettings balancing, HealthSettings health, UpstreamConfig... upstreams) {
        return new GatewayConfig(ConfigFormat.NATIVE, ServerSettings.DEFAULTS, null, List.of(),
                Arrays.asList(upstreams), List.of(), balancing, health, null, null, null, List.of());
    }

    static Target target(UpstreamConfig u) {
        return new Target(u, null, u.priority(), u.weight());
    }

    static RouteDecision decision(String match, Strategy strategy, UpstreamConfig... upstreams) {
        return new RouteDecision("claude-sonnet-4-5", match, Arrays.stream(upstreams).map(Fixtures::target).toList(),
                strategy);
    }
}
