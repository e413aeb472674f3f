package io.claudelb.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The text {@code claude-lb check-config FILE} prints: the file's format, listen address, client key names, each
 * upstream, the effective routing table (with the implicit catch-all route when none is configured), strategy,
 * affinity, health and retry settings, and the notes from mapping a seed file. It never prints a secret: client
 * keys by name only, upstreams by their credential-free URL and auth type, proxies by host and port.
 */
public final class ConfigDescriber {
    private static final String INDENT = "  ";

    private ConfigDescriber() {
    }

    public static String describe(GatewayConfig c) {
        StringBuilder out = new StringBuilder();
        line(out, "Format: " + formatName(c.format()));
        ServerSettings s = c.server();
        line(out, "Listen: " + hostPort(s.host(), s.port()) + (SettingsReader.isLoopback(s.host())
                ? " (this machine only)" : " (reachable from other machines)"));
        line(out, "Server: max request " + ByteSizes.format(s.maxRequestBytes()) + ", idle timeout "
                + Durations.format(s.idleTimeout()) + ", header read timeout " + Durations.format(s.headerReadTimeout())
                + ", shutdown grace " + Durations.format(s.shutdownGrace()) + ", io threads "
                + (s.ioThreads() == 0 ? "one per core" : s.ioThreads()) + ", max connections " + s.maxConnections()
                + (s.allowUnauthenticatedRemote() ? ", unauthenticated remote callers allowed" : ""));
        line(out, "Client keys: " + (c.clients().isEmpty()
                ? "none (callers need no key)"
                : c.clients().stream().map(ClientKey::name).collect(Collectors.joining(", ")))
                + "; exempt paths " + String.join(", ", s.authExemptPaths()));
        line(out, "Admin key: " + (c.admin().apiKey().isEmpty() ? "not set (state-changing admin calls refused)"
                : "set"));
        upstreams(out, c);
        routes(out, c);
        BalancingSettings b = c.balancing();
        line(out, "Balancing: strategy " + b.strategy().configName() + "; affinity " + b.affinity().configName()
                + (b.affinity() == AffinityMode.NONE ? "" : " (idle ttl " + Durations.format(b.affinityTtl())
                + ", at most " + b.affinityMaxEntries() + " bindings)"));
        if (c.upstreams().stream().anyMatch(u -> u.kind() == UpstreamKind.DATABRICKS)) {
            line(out, "Databricks model mapping: databricks-* unchanged; a Claude name -> databricks-claude-<family>-"
                    + "<version> (date dropped), or the newest of the family a discovering workspace serves; names "
                    + "without family and version: " + c.databricksModels().rules().stream()
                    .map(r -> "contains '" + r.contains() + "' -> " + r.model()).collect(Collectors.joining(", "))
                    + "; otherwise " + c.databricksModels().fallback());
        }
        health(out, c.health());
        RetrySettings r = c.retry();
        line(out, "Retry: up to " + r.maxAttempts() + " upstream" + (r.maxAttempts() == 1 ? "" : "s")
                + " per request, before the first byte; stream peek " + ByteSizes.format(r.peekMaxBytes()) + " / "
                + Durations.format(r.peekMaxWait()));
        MetricsSettings m = c.metrics();
        line(out, "Metrics: GET /metrics " + (!m.enabled() ? "off" : m.token().isEmpty()
                ? "for loopback callers and the admin key" : "for loopback callers, the admin key and metrics.token"));
        LoggingSettings l = c.logging();
        line(out, "Logging: level " + l.level() + ", " + l.format().configName() + " to "
                + (l.file() == null ? "standard output" : l.file() + " (rolled at " + ByteSizes.format(l.maxFileBytes())
                + " and daily, kept " + l.maxHistory() + " days)") + ", access log " + (l.accessLog() ? "on" : "off"));
        if (!c.notes().isEmpty()) {
            line(out, "Notes:");
            c.notes().forEach(n -> line(out, INDENT + "- " + n));
        }
        return out.toString();
    }

    private static void upstreams(StringBuilder out, GatewayConfig c) {
        line(out, "Upstreams (" + c.upstreams().size() + "):");
        for (UpstreamConfig u : c.upstreams()) {
            line(out, INDENT + u.name() + ": " + u.kind().configName() + " " + u.displayUrl());
            PoolSettings p = u.pool();
            TimeoutSettings t = u.timeouts();
            String proxy = u.proxy() == null ? "none"
                    : hostPort(u.proxy().host(), u.proxy().port()) + (u.proxy().hasCredentials()
                    ? " (with credentials)" : "");
            line(out, INDENT + INDENT + "auth " + u.auth().type().configName() + ", weight " + u.weight()
                    + ", priority " + u.priority() + ", pool max " + p.maxConnections() + " per event loop (acquire "
                    + Durations.format(p.acquireTimeout()) + "), timeouts connect " + Durations.format(t.connect())
                    + " / first byte " + Durations.format(t.firstByte()) + " / idle " + Durations.format(t.idle()));
            line(out, INDENT + INDENT + "count_tokens " + (u.countTokens() ? "relayed" : "estimated locally")
                    + ", betas " + betas(u.betas()) + ", proxy " + proxy);
            if (u.kind() == UpstreamKind.OPENAI) {
                OpenAiSettings o = u.openai();
                line(out, INDENT + INDENT + "openai: " + (o.maxCompletionTokens() ? "max_completion_tokens"
                        : "max_tokens") + ", thinking " + (o.reasoningParam() == null ? "dropped"
                        : "-> " + o.reasoningParam()) + ", user " + (o.userMaxLength() == 0 ? "never sent"
                        : "up to " + o.userMaxLength() + " chars"));
            }
            String cloud = cloud(u);
            if (cloud != null) {
                line(out, INDENT + INDENT + cloud);
            }
            if (u.tls().hasCaFile()) {
                line(out, INDENT + INDENT + "tls: trusts only the CAs in " + u.tls().caFile()
                        + " (not the JVM trust store)");
            }
        }
    }

    /** The kind's own settings and credential source (never a key), or null for a kind without any. */
    static String cloud(UpstreamConfig u) {
        return switch (u.kind()) {
            case BEDROCK -> "bedrock: region " + u.bedrock().region() + ", POST /model/{model id}/invoke"
                    + "[-with-response-stream], credentials " + credentials(u.auth()) + "; models: Bedrock IDs and "
                    + "inference profiles kept, otherwise " + ModelMap.BEDROCK.rules().stream()
                    .map(r -> r.contains() + " -> " + r.model()).collect(Collectors.joining(", "));
            case VERTEX -> "vertex: project " + u.vertex().project() + ", region " + u.vertex().region()
                    + ", POST .../publishers/anthropic/models/{model}:[stream]rawPredict, credentials "
                    + credentials(u.auth()) + "; models: Anthropic names, a -YYYYMMDD date written @YYYYMMDD";
            case DATABRICKS -> "databricks: api " + u.databricks().api().configName() + " (" + u.messagesPath()
                    + "), endpoint discovery " + (u.databricks().discover() ? "every "
                    + Durations.format(u.databricks().refreshEvery()) + " from " + u.databricksWorkspace()
                    + "/api/2.0/serving-endpoints" : "off");
            case ANTHROPIC, OPENAI -> null;
        };
    }

    private static String credentials(UpstreamAuth a) {
        return switch (a.type()) {
            case AWS -> "SigV4 with static keys" + (a.aws().sessionToken().isEmpty() ? "" : " and a session token")
                    + role(a.aws());
            case AWS_DEFAULT -> "SigV4 with the AWS default credential chain" + role(a.aws());
            case GOOGLE_SERVICE_ACCOUNT -> "Google service account key " + a.keyFile();
            case GOOGLE_DEFAULT -> "Google application default credentials";
            case BEARER -> "a static bearer token";
            default -> a.type().configName();
        };
    }

    private static String role(AwsAuth aws) {
        return aws.assumesRole() ? ", assuming " + aws.roleArn() + (aws.externalId().isEmpty() ? ""
                : " (with an external id)") : "";
    }

    private static void routes(StringBuilder out, GatewayConfig c) {
        List<RouteConfig> routes = c.routes();
        if (routes.isEmpty()) {
            line(out, "Routes: none configured, so one catch-all route sends every model to every upstream:");
            List<TargetConfig> all = new ArrayList<>();
            c.upstreams().forEach(u -> all.add(new TargetConfig(u.name(), null, u.priority(), 0)));
            routes = List.of(new RouteConfig("*", all, null));
        } else {
            line(out, "Routes (first match wins; a model matching none gets 404):");
        }
        var byName = c.upstreamsByName();
        for (RouteConfig route : routes) {
            Strategy strategy = route.strategy() != null ? route.strategy() : c.balancing().strategy();
            line(out, INDENT + route.match() + "  [" + strategy.configName()
                    + (route.strategy() != null ? "" : ", the default") + "]");
            for (TargetConfig t : route.targets()) {
                UpstreamConfig u = byName.get(t.upstream());
                int weight = t.weight() > 0 ? t.weight() : u.weight();
                line(out, INDENT + INDENT + "-> " + t.upstream() + ": model " + targetModel(t, u) + ", priority "
                        + t.priority() + ", weight " + weight);
            }
        }
    }

    private static String targetModel(TargetConfig t, UpstreamConfig u) {
        if (t.model() == null) {
            return switch (u.kind()) {
                case DATABRICKS -> "databricks mapping";
                case BEDROCK -> "bedrock mapping";
                case VERTEX -> "vertex naming";
                case ANTHROPIC, OPENAI -> "passthrough";
            };
        }
        return t.model();
    }

    private static void health(StringBuilder out, HealthSettings h) {
        line(out, "Health: an upstream's breaker opens after " + h.failureThreshold() + " consecutive failure"
                + (h.failureThreshold() == 1 ? "" : "s") + ", stays open " + Durations.format(h.openFor())
                + ", then admits " + h.halfOpenProbes() + " probe" + (h.halfOpenProbes() == 1 ? "" : "s")
                + "; retry-after honoured up to " + Durations.format(h.retryAfterCap()));
        if (!h.extraFailureStatuses().isEmpty()) {
            line(out, INDENT + "extra failure statuses: " + ranges(h.extraFailureStatuses()));
        }
        for (String p : h.failureBodyPatterns()) {
            line(out, INDENT + "failure body pattern: " + p);
        }
    }

    /** 402, 520, 521, 522 -> "402, 520-522". */
    static String ranges(Set<Integer> statuses) {
        List<String> parts = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int s : new TreeSet<>(statuses)) {
            if (prev != null && s == prev + 1) {
                prev = s;
                continue;
            }
            if (start != null) {
                parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
            }
            start = s;
            prev = s;
        }
        if (start != null) {
            parts.add(start.equals(prev) ? String.valueOf(start) : start + "-" + prev);
        }
        return String.join(", ", parts);
    }

    private static String betas(BetaFilter f) {
        if (f.passesAll()) {
            return "all forwarded";
        }
        return f.allow() != null ? "only " + String.join(",", new TreeSet<>(f.allow()))
                : "all but " + String.join(",", new TreeSet<>(f.deny()));
    }

    private static String formatName(ConfigFormat f) {
        return switch (f) {
            case NATIVE -> "native";
            case SEED_A -> "seed A config.yaml (mapped onto the native schema; see the notes)";
            case SEED_B -> "seed B config.yaml (mapped onto the native schema; see the notes)";
            case SEED_B_PROVIDERS -> "seed B providers.yaml (mapped onto the native schema; see the notes)";
        };
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    private static void line(StringBuilder out, String text) {
        out.append(text).append('\n');
    }
}
