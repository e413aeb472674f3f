package io.claudelb.server.cli;

import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.Durations;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.StorageSettings;
import io.claudelb.server.usage.ReportDimension;
import io.claudelb.server.usage.ReportQuery;
import io.claudelb.server.usage.ReportRow;
import io.claudelb.server.usage.UsageReports;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code claude-lb usage [--since 7d | --from A --to B] [--by client,model,...] [--client NAME]}: a usage table
 * from the database the gateway writes (the config's {@code storage}, or {@code --url}). It reads with its own
 * connection while the gateway runs (SQLite is in WAL mode) and never changes the database.
 */
@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "Print usage and cost from the usage database (works while the gateway runs).")
final class UsageCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Config whose storage to read (default: "
            + "as for serve).")
    Path config;

    @Option(names = "--url", paramLabel = "JDBC", description = "Read this database instead of the config's.")
    String url;

    @Option(names = "--user", description = "Database user (with --url, PostgreSQL).")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Environment variable holding the database "
            + "password (with --url).")
    String passwordEnv;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "24h",
            description = "How far back (default: ${DEFAULT-VALUE}): 90m, 24h, 7d.")
    String since;

    @Option(names = "--from", description = "Start: an ISO-8601 instant or a date (overrides --since).")
    String from;

    @Option(names = "--to", description = "End: an ISO-8601 instant or a date (default: now).")
    String to;

    @Option(names = "--by", defaultValue = "client", paramLabel = "DIMS",
            description = "Group by client, model, upstream, session, day (comma-separated; default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--client", description = "Only this client's usage.")
    String client;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StorageSettings storage;
        ZoneId zone = ZoneOffset.UTC;
        if (url != null) {
            storage = StorageSettings.DEFAULTS.withUrl(url);
        } else {
            ConfigOptions paths = new ConfigOptions();
            paths.config = config;
            GatewayConfig c = ConfigLoader.load(paths.resolve());
            storage = c.storage();
            zone = c.limits().timezone();
        }
        if (!storage.enabled()) {
            err.println("claude-lb usage: storage is off in this config: no usage is recorded");
            return 1;
        }
        Path file = storage.sqliteFile();
        if (file != null && !Files.exists(file)) {
            err.println("claude-lb usage: no usage database at " + file + " (has the gateway run with it yet?)");
            return 1;
        }
        ReportQuery query;
        try {
            Instant now = Instant.now();
            String start = from != null ? from : now.minus(Durations.parse("--since", since)).toString();
            query = ReportQuery.parse(start, to, by, client, zone, now);
        } catch (IllegalArgumentException e) {
            err.println("claude-lb usage: " + e.getMessage());
            return 2;
        }
        StorageSettings s = storage;
        UsageReports reports = new UsageReports(() -> DriverManager.getConnection(s.url(), properties(s)));
        List<ReportRow> rows;
        try {
            rows = reports.report(query);
        } catch (SQLException e) {
            err.println("claude-lb usage: cannot read " + storage.displayUrl() + ": " + e.getMessage());
            return 1;
        }
        out.println("Usage " + query.from() + " .. " + query.to() + " (" + storage.displayUrl() + ")");
        print(out, query, rows);
        return 0;
    }

    private Properties properties(StorageSettings s) {
        Properties p = new Properties();
        String u = user != null ? user : s.user();
        if (u != null) {
            p.setProperty("user", u);
        }
        String password = passwordEnv != null ? System.getenv(passwordEnv) : s.password().reveal();
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        if (s.vendor() == StorageSettings.Vendor.SQLITE) {
            p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: a report never writes
        }
        return p;
    }

    /** A fixed-width table: the group columns, then the figures, then a total line. */
    static void print(PrintWriter out, ReportQuery query, List<ReportRow> rows) {
        List<String> header = new ArrayList<>();
        for (ReportDimension d : query.groupBy()) {
            header.add(d.wireName());
        }
        if (header.isEmpty()) {
            header.add(""); // no grouping: just the total line, labelled
        }
        int labels = header.size();
        header.addAll(List.of("requests", "errors", "input", "output", "cache_read", "cache_w_5m", "cache_w_1h",
                "hit_rate", "cost_usd", "failovers", "switches"));
        List<List<String>> table = new ArrayList<>();
        table.add(header);
        if (!query.groupBy().isEmpty()) {
            for (ReportRow r : rows) {
                table.add(cells(query, r, labels, false));
            }
        }
        table.add(cells(query, ReportRow.total(rows), labels, true));
        int[] width = new int[header.size()];
        for (List<String> line : table) {
            for (int i = 0; i < line.size(); i++) {
                width[i] = Math.max(width[i], line.get(i).length());
            }
        }
        for (int l = 0; l < table.size(); l++) {
            List<String> line = table.get(l);
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                String pad = " ".repeat(width[i] - cell.length());
                sb.append(i == 0 ? "" : "  ").append(i < labels ? cell + pad : pad + cell);
            }
            out.println(sb.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            out.println("(no requests in this range)");
        }
    }

    private static List<String> cells(ReportQuery query, ReportRow r, int labels, boolean total) {
        List<String> cells = new ArrayList<>();
        if (total) {
            cells.add("TOTAL");
            for (int i = 1; i < labels; i++) {
                cells.add("");
            }
        } else {
            for (ReportDimension d : query.groupBy()) {
                String v = r.group().get(d);
                cells.add(v == null ? "-" : v);
            }
        }
        Double hit = r.cacheHitRate();
        cells.addAll(List.of(Long.toString(r.requests()), Long.toString(r.errors()), Long.toString(r.inputTokens()),
                Long.toString(r.outputTokens()), Long.toString(r.cacheReadTokens()),
                Long.toString(r.cacheWrite5mTokens()), Long.toString(r.cacheWrite1hTokens()),
                hit == null ? "-" : String.format(Locale.ROOT, "%.1f%%", hit * 100),
                BigDecimal.valueOf(r.costNanos(), 9).setScale(4, RoundingMode.HALF_UP).toPlainString(),
                Long.toString(r.failovers()), Long.toString(r.upstreamSwitches())));
        return cells;
    }
}
