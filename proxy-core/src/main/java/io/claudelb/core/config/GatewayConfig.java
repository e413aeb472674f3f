package io.claudelb.core.config;

import io.claudelb.core.usage.PriceEntry;
import io.claudelb.core.usage.PriceTable;
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
 * @param storage        where usage records go ({@link StorageSettings#DISABLED} when built without one)
 * @param limits         per-client and per-session limits and budgets
 * @param prices         model prices for the cost of each request
 * @param dedup          in-flight coalescing of identical requests ({@link DedupSettings#OFF} when built without)
 * @param metrics        the Prometheus endpoint ({@link MetricsSettings#DEFAULTS} when built without)
 */
public record GatewayConfig(ConfigFormat format, ServerSettings server, AdminSettings admin, List<ClientKey> clients,
                            List<UpstreamConfig> upstreams, List<RouteConfig> routes, BalancingSettings balancing,
                            HealthSettings health, RetrySettings retry, LoggingSettings logging,
                            ModelMap databricksModels, List<String> notes, StorageSettings storage,
                            LimitsSettings limits, PriceTable prices, DedupSettings dedup,
                            MetricsSettings metrics) {

    /** A config with the default metrics settings (seed files, configs built in code). */
    public GatewayConfig(ConfigFormat format, ServerSettings server, AdminSettings admin, List<ClientKey> clients,
                         List<UpstreamConfig> upstreams, List<RouteConfig> routes, BalancingSettings balancing,
                         HealthSettings health, RetrySettings retry, LoggingSettings logging,
                         ModelMap databricksModels, List<String> notes, StorageSettings storage,
                         LimitsSettings limits, PriceTable prices, DedupSettings dedup) {
        this(format, server, admin, clients, upstreams, routes, balancing, health, retry, logging, databricksModels,
                notes, storage, limits, prices, dedup, MetricsSettings.DEFAULTS);
    }

    /** A config without accounting sections: no usage database, no limits, the built-in prices. */
    public GatewayConfig(ConfigFormat format, ServerSettings server, AdminSettings admin, List<ClientKey> clients,
                         List<UpstreamConfig> upstreams, List<RouteConfig> routes, BalancingSettings balancing,
                         HealthSettings health, RetrySettings retry, LoggingSettings logging,
                         ModelMap databricksModels, List<String> notes) {
        this(format, server, admin, clients, upstreams, routes, balancing, health, retry, logging, databricksModels,
                notes, StorageSettings.DISABLED, LimitsSettings.NONE, PriceTable.DEFAULTS, DedupSettings.OFF);
    }

    /** A config without coalescing (built in code). */
    public GatewayConfig(ConfigFormat format, ServerSettings server, AdminSettings admin, List<ClientKey> clients,
                         List<UpstreamConfig> upstreams, List<RouteConfig> routes, BalancingSettings balancing,
                         HealthSettings health, RetrySettings retry, LoggingSettings logging,
                         ModelMap databricksModels, List<String> notes, StorageSettings storage,
                         LimitsSettings limits, PriceTable prices) {
        this(format, server, admin, clients, upstreams, routes, balancing, health, retry, logging, databricksModels,
                notes, storage, limits, prices, DedupSettings.OFF);
    }

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
        storage = storage == null ? StorageSettings.DISABLED : storage;
        limits = limits == null ? LimitsSettings.NONE : limits;
        prices = prices == null ? PriceTable.DEFAULTS : prices;
        dedup = dedup == null ? DedupSettings.OFF : dedup;
        metrics = metrics == null ? MetricsSettings.DEFAULTS : metrics;
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
        for (String client : limits.clients().keySet()) {
            if (!clientNames.contains(client)) {
                throw new ConfigException("limits", "limits for unknown client '" + client + "'");
            }
        }
        List<PriceEntry> priced = prices.configured();
        for (int p = 0; p < priced.size(); p++) {
            String upstream = priced.get(p).upstream();
            if (upstream != null && !names.contains(upstream)) {
                throw new ConfigException("prices[" + p + "].upstream", "no upstream named '" + upstream + "'");
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

    /** The same config with other server settings (command-line --host/--port, tests on a free port). */
    public GatewayConfig withServer(ServerSettings newServer) {
        return new GatewayConfig(format, newServer, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, storage, limits, prices, dedup, metrics);
    }

    /** The same config with other usage storage (tests, {@code claude-lb demo}). */
    public GatewayConfig withStorage(StorageSettings newStorage) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, newStorage, limits, prices, dedup, metrics);
    }

    /** The same config with other limits (tests). */
    public GatewayConfig withLimits(LimitsSettings newLimits) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, storage, newLimits, prices, dedup, metrics);
    }

    /** The same config with other prices (tests). */
    public GatewayConfig withPrices(PriceTable newPrices) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, storage, limits, newPrices, dedup, metrics);
    }

    /** The same config with other coalescing settings (tests). */
    public GatewayConfig withDedup(DedupSettings newDedup) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, storage, limits, prices, newDedup, metrics);
    }

    /** The same config with other logging settings (tests). */
    public GatewayConfig withLogging(LoggingSettings newLogging) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                newLogging, databricksModels, notes, storage, limits, prices, dedup, metrics);
    }

    /** The same config with other metrics settings (tests). */
    public GatewayConfig withMetrics(MetricsSettings newMetrics) {
        return new GatewayConfig(format, server, admin, clients, upstreams, routes, balancing, health, retry,
                logging, databricksModels, notes, storage, limits, prices, dedup, newMetrics);
    }

    public Map<String, UpstreamConfig> upstreamsByName() {
        return upstreams.stream().collect(Collectors.toUnmodifiableMap(UpstreamConfig::name, Function.identity()));
    }

    /** True when a client must present a key; with none configured the proxy is open (loopback-only by default). */
    public boolean requiresClientKey() {
        return !clients.isEmpty();
    }
}
