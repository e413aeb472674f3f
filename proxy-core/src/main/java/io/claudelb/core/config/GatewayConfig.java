package io.claudelb.core.config;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One immutable, validated configuration snapshot. A reload builds a new one and swaps it atomically; in-flight
 * exchanges keep the snapshot they started with.
 *
 * @param format         the schema the file was written in
 * @param notes          what a seed-format file's keys were mapped to (printed at startup)
 */
public record GatewayConfig(ConfigFormat format, ServerSettings server, AdminSettings admin, List<ClientKey> clients,
                            List<UpstreamConfig> upstreams, List<RouteConfig> routes, BalancingSettings balancing,
                            HealthSettings health, RetrySettings retry, LoggingSettings logging,
                            ModelMap databricksModels, List<String> notes) {

    public GatewayConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(server, "server");
        admin = admin == null ? AdminSettings.DEFAULTS : admin;
        clients = List.copyOf(clients);
        upstreams = List.copyOf(upstreams);
        routes = List.copyOf(routes);
        balancing = balancing == null ? BalancingSettings.DEFAULTS : balancing;
        health = health == null ? HealthSettings.DEFAULTS : health;
        retry = retry == null ? RetrySettings.DEFAULTS : retry;
        logging = logging == null ? LoggingSettings.DEFAULTS : logging;
        databricksModels = databricksModels == null ? ModelMap.SEED_A : databricksModels;
        notes = List.copyOf(notes);
        if (upstreams.isEmpty()) {
            throw new ConfigException("upstreams", "must list at least one upstream");
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < upstreams.size(); i++) {
            if (!names.add(upstreams.get(i).name())) {
                throw new ConfigException("upstreams[" + i + "].name", "duplicate name '" + upstreams.get(i).name() + "'");
            }
        }
        Set<String> clientNames = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            if (!clientNames.add(clients.get(i).name())) {
                throw new ConfigException("clients[" + i + "].name", "duplicate name '" + clients.get(i).name() + "'");
            }
        }
        for (int r = 0; r < routes.size(); r++) {
            List<TargetConfig> targets = routes.get(r).targets();
            for (int t = 0; t < targets.size(); t++) {
                if (!names.contains(targets.get(t).upstream())) {
                    throw new ConfigException("routes[" + r + "].targets[" + t + "].upstream",
                            "no upstream named '" + targets.get(t).upstream() + "'");
                }
            }
        }
    }

    public Map<String, UpstreamConfig> upstreamsByName() {
        return upstreams.stream().collect(Collectors.toUnmodifiableMap(UpstreamConfig::name, Function.identity()));
    }

    /** True when a client must present a key; with none configured the proxy is open (loopback-only by default). */
    public boolean requiresClientKey() {
        return !clients.isEmpty();
    }
}
