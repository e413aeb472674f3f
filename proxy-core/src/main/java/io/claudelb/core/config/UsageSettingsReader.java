package io.claudelb.core.config;

import io.claudelb.core.usage.ModelPrice;
import io.claudelb.core.usage.PriceEntry;
import io.claudelb.core.usage.PriceTable;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the accounting sections of the native schema: {@code storage}, {@code limits} (with each
 * {@code clients[].limits}) and {@code prices}. Absent keys take the records' defaults.
 */
final class UsageSettingsReader {
    static final List<String> LIMIT_KEYS = List.of("requests_per_minute", "tokens_per_minute", "concurrent",
            "budget");
    private static final List<String> BUDGET_KEYS = List.of("daily_usd", "weekly_usd", "monthly_usd");

    private UsageSettingsReader() {
    }

    /** @param workingDirectory what a relative SQLite path is resolved against */
    static StorageSettings storage(ConfigNode n, ReadContext ctx, Path workingDirectory) {
        n.allowOnly(List.of("enabled", "url", "user", "password", "retention", "queue_capacity", "batch_size",
                "flush_interval"));
        StorageSettings d = StorageSettings.DEFAULTS;
        boolean enabled = n.bool("enabled", d.enabled());
        String url = n.has("url") ? StorageSettings.resolveSqlite(n.required("url"), workingDirectory) : d.url();
        String user = n.string("user");
        Secret password = n.secret("password");
        Duration retention = n.duration("retention", d.retention());
        int capacity = n.integer("queue_capacity", d.queueCapacity());
        int batch = n.integer("batch_size", d.batchSize());
        Duration flush = n.duration("flush_interval", d.flushInterval());
        return ctx.build(n.path(), () -> new StorageSettings(enabled, url, user == null || user.isBlank() ? null
                : user.trim(), password, retention, capacity, batch, flush));
    }

    /** {@code limits:} and the {@code limits:} of each entry of {@code clients}. */
    static LimitsSettings limits(ConfigNode n, List<ConfigNode> clients, ReadContext ctx) {
        n.allowOnly(List.of("default", "session", "timezone"));
        ClientLimits defaults = clientLimits(n.node("default"), ClientLimits.NONE, ctx);
        ConfigNode session = n.node("session");
        session.allowOnly(List.of("requests_per_minute"));
        long sessionRpm = session.longValue("requests_per_minute", 0);
        ZoneId zone = zone(n);
        Map<String, ClientLimits> perClient = new LinkedHashMap<>();
        for (ConfigNode c : clients) {
            if (c.has("limits")) {
                perClient.put(c.required("name"), clientLimits(c.node("limits"), defaults, ctx));
            }
        }
        return ctx.build(n.path(), () -> new LimitsSettings(defaults, sessionRpm, perClient, zone));
    }

    private static ZoneId zone(ConfigNode n) {
        String tz = n.string("timezone");
        if (tz == null || tz.isBlank()) {
            return LimitsSettings.NONE.timezone();
        }
        try {
            return ZoneId.of(tz.trim());
        } catch (DateTimeException e) {
            throw n.error("timezone", "unknown time zone '" + tz + "'; use a region such as Europe/Berlin, or UTC");
        }
    }

    /** Each key present overrides {@code base}'s (budget periods one by one); absent keys keep it. */
    private static ClientLimits clientLimits(ConfigNode n, ClientLimits base, ReadContext ctx) {
        n.allowOnly(LIMIT_KEYS);
        long rpm = n.longValue("requests_per_minute", base.requestsPerMinute());
        long tpm = n.longValue("tokens_per_minute", base.tokensPerMinute());
        int concurrent = n.integer("concurrent", base.concurrent());
        ConfigNode b = n.node("budget");
        b.allowOnly(BUDGET_KEYS);
        BudgetLimits bb = base.budget();
        long daily = usdNanos(b, "daily_usd", bb.dailyNanos());
        long weekly = usdNanos(b, "weekly_usd", bb.weeklyNanos());
        long monthly = usdNanos(b, "monthly_usd", bb.monthlyNanos());
        BudgetLimits budget = ctx.build(b.path(), () -> new BudgetLimits(daily, weekly, monthly));
        return ctx.build(n.path(), () -> new ClientLimits(rpm, tpm, concurrent, budget));
    }

    private static long usdNanos(ConfigNode n, String key, long defaultNanos) {
        BigDecimal usd = n.decimal(key);
        if (usd == null) {
            return defaultNanos;
        }
        if (usd.signum() < 0) {
            throw n.error(key, "must not be negative, got " + usd.toPlainString());
        }
        try {
            return usd.multiply(BigDecimal.valueOf(BudgetLimits.NANOS_PER_USD)).longValue();
        } catch (ArithmeticException e) {
            throw n.error(key, "is too large");
        }
    }

    /** {@code prices:}: lines tried before the built-in list prices. */
    static PriceTable prices(List<ConfigNode> nodes, Set<String> upstreams) {
        List<PriceEntry> entries = new ArrayList<>();
        for (ConfigNode p : nodes) {
            p.allowOnly(List.of("match", "upstream", "input", "output", "cache_read", "cache_write_5m",
                    "cache_write_1h"));
            String match = p.required("match");
            String upstream = p.string("upstream");
            if (upstream != null && !upstreams.contains(upstream.trim())) {
                throw p.error("upstream", "no upstream named '" + upstream + "'; "
                        + KeySuggestions.hint(upstream, upstreams, "upstreams"));
            }
            BigDecimal input = p.decimal("input");
            BigDecimal output = p.decimal("output");
            if (input == null) {
                throw p.error("input", "is required: USD per million input tokens");
            }
            if (output == null) {
                throw p.error("output", "is required: USD per million output tokens");
            }
            try {
                entries.add(new PriceEntry(match, upstream == null ? null : upstream.trim(),
                        ModelPrice.perMillion(input, output, p.decimal("cache_read"), p.decimal("cache_write_5m"),
                                p.decimal("cache_write_1h"))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p.path(), e.getMessage());
            }
        }
        return new PriceTable(entries);
    }
}
