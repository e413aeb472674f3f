package io.claudelb.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the native schema's settings sections ({@code server}, {@code admin}, {@code clients}, {@code balancing},
 * {@code health}, {@code retry}, {@code logging}, {@code databricks_models}) into their records, each absent key
 * taking the record's {@code DEFAULTS}. The seed mappers reuse the value parsers (listen address, status lists,
 * body patterns, log levels).
 */
final class SettingsReader {
    static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

    /** A listen address split into host and port. */
    record HostPort(String host, int port) {
    }

    private SettingsReader() {
    }

    static ServerSettings server(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("listen", "host", "port", "max_request_bytes", "idle_timeout", "header_read_timeout",
                "shutdown_grace", "io_threads", "max_connections", "allow_unauthenticated_remote",
                "auth_exempt_paths", "write_stall_timeout", "drain_delay"));
        ServerSettings d = ServerSettings.DEFAULTS;
        String host = d.host();
        int port = d.port();
        if (n.has("listen")) {
            if (n.has("host") || n.has("port")) {
                throw n.error("listen", "give either listen or host/port, not both");
            }
            HostPort hp = listen(n.pathOf("listen"), n.required("listen"), d.host());
            host = hp.host();
            port = hp.port();
        } else {
            host = n.has("host") ? n.required("host") : host;
            port = n.integer("port", port);
        }
        List<String> exempt = n.strings("auth_exempt_paths");
        for (int i = 0; exempt != null && i < exempt.size(); i++) {
            if (!exempt.get(i).startsWith("/")) {
                throw new ConfigException(n.pathOf("auth_exempt_paths") + "[" + i + "]", "must start with '/'");
            }
        }
        String h = host;
        int p = port;
        long maxRequestBytes = n.size("max_request_bytes", d.maxRequestBytes());
        Duration idle = n.duration("idle_timeout", d.idleTimeout());
        Duration headerRead = n.duration("header_read_timeout", d.headerReadTimeout());
        Duration grace = n.duration("shutdown_grace", d.shutdownGrace());
        int ioThreads = n.integer("io_threads", d.ioThreads());
        int maxConnections = n.integer("max_connections", d.maxConnections());
        boolean remote = n.bool("allow_unauthenticated_remote", d.allowUnauthenticatedRemote());
        List<String> paths = exempt == null ? d.authExemptPaths() : exempt;
        Duration stall = n.duration("write_stall_timeout", d.writeStallTimeout());
        Duration drainDelay = n.duration("drain_delay", d.drainDelay());
        return ctx.build(n.path(), () -> ServerSettings.builder().host(h).port(p).maxRequestBytes(maxRequestBytes)
                .idleTimeout(idle).headerReadTimeout(headerRead).shutdownGrace(grace).ioThreads(ioThreads)
                .maxConnections(maxConnections).allowUnauthenticatedRemote(remote).authExemptPaths(paths)
                .writeStallTimeout(stall).drainDelay(drainDelay).build());
    }

    /** {@code host:port}, {@code [ipv6]:port}, or a bare port (on {@code defaultHost}). */
    static HostPort listen(String key, String text, String defaultHost) {
        String s = text.trim();
        if (s.chars().allMatch(Character::isDigit)) {
            return new HostPort(defaultHost, port(key, s));
        }
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new ConfigException(key, "expected [ipv6-address]:port, got '" + text + "'");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon < 0 || s.indexOf(':') != colon) {
                throw new ConfigException(key, "expected host:port (IPv6 as [address]:port), got '" + text + "'");
            }
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        if (host.isBlank()) {
            throw new ConfigException(key, "needs a host (127.0.0.1 for this machine only, 0.0.0.0 for all "
                    + "interfaces), got '" + text + "'");
        }
        return new HostPort(host, port(key, port));
    }

    /** True for addresses that only this machine can reach (a listen address needing no client key). */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    private static int port(String key, String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 0 && p <= 65_535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw new ConfigException(key, "port must be a number between 0 and 65535, got '" + text + "'");
    }

    static AdminSettings admin(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("api_key"));
        Secret key = n.secret("api_key");
        return ctx.build(n.path(), () -> new AdminSettings(key));
    }

    static List<ClientKey> clients(List<ConfigNode> nodes, ReadContext ctx) {
        List<ClientKey> clients = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (ConfigNode c : nodes) {
            ClientKey client = ctx.part(() -> {
                c.allowOnly(List.of("name", "key", "limits"));
                String name = c.required("name");
                if (!names.add(name)) {
                    throw c.error("name", "duplicate client name '" + name + "'");
                }
                Secret key = c.secret("key");
                return ctx.build(c.path(), () -> new ClientKey(name, key));
            }, null);
            if (client != null) {
                clients.add(client);
            }
        }
        return clients;
    }

    static BalancingSettings balancing(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("strategy", "affinity", "affinity_ttl", "affinity_max_entries"));
        BalancingSettings d = BalancingSettings.DEFAULTS;
        Strategy strategy = n.choice("strategy", Strategy.values(), d.strategy());
        AffinityMode affinity = n.choice("affinity", AffinityMode.values(), d.affinity());
        Duration ttl = n.duration("affinity_ttl", d.affinityTtl());
        long maxEntries = n.longValue("affinity_max_entries", d.affinityMaxEntries());
        return ctx.build(n.path(), () -> new BalancingSettings(strategy, affinity, ttl, maxEntries));
    }

    static HealthSettings health(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("failure_threshold", "open_for", "half_open_probes", "retry_after_cap",
                "extra_failure_statuses", "failure_body_patterns", "probe"));
        HealthSettings d = HealthSettings.DEFAULTS;
        Set<Integer> statuses = n.has("extra_failure_statuses")
                ? statuses(n, "extra_failure_statuses") : d.extraFailureStatuses();
        List<String> patterns = n.has("failure_body_patterns")
                ? bodyPatterns(n, "failure_body_patterns", false, ctx) : d.failureBodyPatterns();
        int threshold = n.integer("failure_threshold", d.failureThreshold());
        Duration openFor = n.duration("open_for", d.openFor());
        int probes = n.integer("half_open_probes", d.halfOpenProbes());
        Duration retryAfterCap = n.duration("retry_after_cap", d.retryAfterCap());
        ProbeSettings p = d.probe();
        boolean probing = p.enabled();
        Duration interval = p.interval();
        Duration timeout = p.timeout();
        if (n.has("probe")) {
            // Written out at all, probes are on unless it says enabled: false.
            ConfigNode probe = n.node("probe");
            probe.allowOnly(List.of("enabled", "interval", "timeout"));
            probing = probe.bool("enabled", true);
            interval = probe.duration("interval", interval);
            timeout = probe.duration("timeout", timeout);
        }
        boolean on = probing;
        Duration every = interval;
        Duration within = timeout;
        return ctx.build(n.path(), () -> new HealthSettings(threshold, openFor, probes, retryAfterCap, statuses,
                patterns, new ProbeSettings(on, every, within)));
    }

    /** HTTP statuses: numbers ({@code 402}) or inclusive ranges ({@code "520-524"}), each 100..599. */
    static Set<Integer> statuses(ConfigNode n, String key) {
        Set<Integer> out = new LinkedHashSet<>();
        List<String> items = n.strings(key);
        for (int i = 0; i < items.size(); i++) {
            String itemKey = n.pathOf(key) + "[" + i + "]";
            String item = items.get(i).trim();
            int dash = item.indexOf('-', 1);
            int lo = status(n, itemKey, dash < 0 ? item : item.substring(0, dash));
            int hi = dash < 0 ? lo : status(n, itemKey, item.substring(dash + 1));
            if (hi < lo) {
                throw new ConfigException(itemKey, "range '" + item + "' ends before it starts");
            }
            for (int s = lo; s <= hi; s++) {
                out.add(s);
            }
        }
        return out;
    }

    private static int status(ConfigNode n, String itemKey, String text) {
        long s = n.parseLong(itemKey, text);
        if (s < 100 || s > 599) {
            throw new ConfigException(itemKey, "HTTP status must be between 100 and 599, got " + s);
        }
        return (int) s;
    }

    /**
     * Case-insensitive regexes checked to compile. {@code lenient} (seed B) accepts Python's named-group syntax
     * and, like seed B, turns a pattern that does not compile into a literal substring test, with a note.
     */
    static List<String> bodyPatterns(ConfigNode n, String key, boolean lenient, ReadContext ctx) {
        List<String> out = new ArrayList<>();
        List<String> items = n.strings(key);
        for (int i = 0; i < items.size(); i++) {
            String itemKey = n.pathOf(key) + "[" + i + "]";
            String p = lenient ? items.get(i).replace("(?P<", "(?<").replaceAll("\\(\\?P=(\\w+)\\)", "\\\\k<$1>")
                    : items.get(i);
            if (p.isEmpty()) {
                throw new ConfigException(itemKey, "must not be empty (it would match every body)");
            }
            try {
                Pattern.compile(p, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                out.add(p);
            } catch (PatternSyntaxException e) {
                if (!lenient) {
                    throw new ConfigException(itemKey, "is not a valid regular expression: " + e.getDescription()
                            + " near index " + e.getIndex());
                }
                out.add(Pattern.quote(items.get(i)));
                ctx.note(itemKey + ": not a valid regular expression (" + e.getDescription()
                        + "); matched as literal text, as seed B did");
            }
        }
        return out;
    }

    static RetrySettings retry(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("max_attempts", "stream_peek"));
        ConfigNode peek = n.node("stream_peek");
        peek.allowOnly(List.of("max_bytes", "max_wait"));
        RetrySettings d = RetrySettings.DEFAULTS;
        int attempts = n.integer("max_attempts", d.maxAttempts());
        long peekBytes = peek.size("max_bytes", d.peekMaxBytes());
        Duration peekWait = peek.duration("max_wait", d.peekMaxWait());
        return ctx.build(n.path(), () -> new RetrySettings(attempts, peekBytes, peekWait));
    }

    /**
     * {@code dedup:} at the top level: absent means on with every default; {@code false} / {@code true}, or a
     * mapping of {@code enabled, linger, replay_ttl, max_replay_bytes, max_entries, max_replay_total_bytes}.
     */
    static DedupSettings dedup(ConfigNode root, ReadContext ctx) {
        DedupSettings d = DedupSettings.DEFAULTS;
        if (!root.isMapping("dedup")) {
            return d.withEnabled(root.bool("dedup", d.enabled()));
        }
        ConfigNode n = root.node("dedup");
        n.allowOnly(List.of("enabled", "linger", "replay_ttl", "max_replay_bytes", "max_entries",
                "max_replay_total_bytes"));
        boolean enabled = n.bool("enabled", d.enabled());
        Duration linger = n.duration("linger", d.linger());
        Duration replayTtl = n.duration("replay_ttl", d.replayTtl());
        long maxReplay = n.size("max_replay_bytes", d.maxReplayBytes());
        int maxEntries = n.integer("max_entries", d.maxEntries());
        long maxTotal = n.size("max_replay_total_bytes", Math.max(d.maxReplayTotalBytes(), maxReplay));
        return ctx.build(n.path(), () -> new DedupSettings(enabled, linger, replayTtl, maxReplay, maxEntries,
                maxTotal));
    }

    /** A switch given as {@code key: false} or {@code key: {enabled: false}}; absent is on. */
    static boolean switchedOn(ConfigNode n, String key) {
        if (!n.isMapping(key)) {
            return n.bool(key, true);
        }
        ConfigNode sub = n.node(key);
        sub.allowOnly(List.of("enabled"));
        return sub.bool("enabled", true);
    }

    static MetricsSettings metrics(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("enabled", "token"));
        MetricsSettings d = MetricsSettings.DEFAULTS;
        boolean enabled = n.bool("enabled", d.enabled());
        Secret token = n.has("token") ? n.secret("token") : d.token();
        return ctx.build(n.path(), () -> new MetricsSettings(enabled, token));
    }

    static LoggingSettings logging(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("level", "format", "file", "access_log", "max_file_size", "max_history",
                "total_size_cap", "json_file"));
        LoggingSettings d = LoggingSettings.DEFAULTS;
        String level = d.level();
        if (n.has("level")) {
            String named = n.required("level").toLowerCase(Locale.ROOT);
            if (LOG_LEVELS.contains(named)) {
                level = named;
            } else {
                ctx.report(n.error("level", "unknown level '" + n.string("level") + "'; expected one of "
                        + String.join(", ", LOG_LEVELS)));
            }
        }
        LogFormat format = n.choice("format", LogFormat.values(), d.format());
        String file = blankToNull(n.string("file"));
        // Before 'format' and 'file' there was only json_file: a JSON-lines file beside the console log. It still
        // means JSON lines to that file (now instead of the console, as any 'file' does).
        String jsonFile = blankToNull(n.string("json_file"));
        if (jsonFile != null) {
            if (file != null) {
                ctx.report(n.error("json_file", "use logging.file alone (json_file is its old name)"));
            } else {
                file = jsonFile;
                if (!n.has("format")) {
                    format = LogFormat.JSON;
                }
                ctx.note("logging.json_file is now logging.file with format: " + format.configName()
                        + "; the log goes to that file only");
            }
        }
        boolean accessLog = n.bool("access_log", d.accessLog());
        long maxFile = n.size("max_file_size", d.maxFileBytes());
        int maxHistory = n.integer("max_history", d.maxHistory());
        long totalCap = n.size("total_size_cap", Math.max(d.totalCap(), maxFile));
        String lvl = level;
        LogFormat fmt = format;
        String path = file;
        return ctx.build(n.path(), () -> new LoggingSettings(lvl, fmt, path, accessLog, maxFile, maxHistory,
                totalCap));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static ModelMap databricksModels(ConfigNode n, ReadContext ctx) {
        n.allowOnly(List.of("rules", "fallback"));
        ModelMap d = ModelMap.SEED_A;
        List<ModelMap.Rule> rules = d.rules();
        if (n.has("rules")) {
            rules = new ArrayList<>();
            for (ConfigNode r : n.nodes("rules")) {
                r.allowOnly(List.of("contains", "model"));
                String contains = r.required("contains");
                String model = r.required("model");
                rules.add(ctx.build(r.path(), () -> new ModelMap.Rule(contains, model)));
            }
        }
        List<ModelMap.Rule> finalRules = rules;
        String fallback = n.has("fallback") ? n.required("fallback") : d.fallback();
        return ctx.build(n.path(), () -> new ModelMap(finalRules, fallback));
    }
}
