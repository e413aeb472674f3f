package io.claudelb.server.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Usage reports from the database: rows kept ({@code usage_records}) for the part of the range after the retention
 * horizon, hourly totals ({@code usage_hourly}) before it. Rows are read in time order and grouped here, so day
 * boundaries follow the report's time zone exactly and a session's upstream switches are seen in order; the same
 * code serves {@code GET /usage}, {@code claude-lb usage} and the budget restore at start. Blocking JDBC: call it from
 * the control plane or a command, never an event loop.
 */
public final class UsageReports {
    private static final String ROWS = "SELECT ts, client, session_id, upstream, target_model, endpoint, status,"
            + " outcome, failovers, input_tokens, output_tokens, cache_read_tokens, cache_write_5m_tokens,"
            + " cache_write_1h_tokens, cost_nanousd, coalescing FROM usage_records WHERE ts >= ? AND ts < ?";
    private static final String HOURS = "SELECT hour_start, client, target_model, upstream, requests,"
            + " count_tokens_requests, errors, coalesced, failovers, input_tokens, output_tokens, cache_read_tokens,"
            + " cache_write_5m_tokens, cache_write_1h_tokens, cost_nanousd FROM usage_hourly"
            + " WHERE hour_start >= ? AND hour_start < ?";

    /** Where a report gets its connection (the pool, after the schema is migrated). */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    private final Connections db;

    public UsageReports(Connections db) {
        this.db = db;
    }

    /** The report's rows, most expensive first (then by group). */
    public List<ReportRow> report(ReportQuery q) throws SQLException {
        Map<List<String>, Totals> groups = new LinkedHashMap<>();
        try (Connection c = db.open()) {
            long from = q.from().toEpochMilli();
            long to = q.to().toEpochMilli();
            long horizon = UsageTables.horizon(c);
            if (from < horizon) {
                readHours(c, q, from - Math.floorMod(from, UsageTables.HOUR_MILLIS), Math.min(to, horizon), groups);
            }
            if (to > horizon) {
                readRows(c, q, Math.max(from, horizon), to, groups);
            }
        }
        List<ReportRow> rows = new ArrayList<>(groups.size());
        for (Map.Entry<List<String>, Totals> e : groups.entrySet()) {
            rows.add(e.getValue().row(q, e.getKey()));
        }
        rows.sort(Comparator.comparingLong(ReportRow::costNanos).reversed()
                .thenComparing(r -> r.group().toString()));
        return rows;
    }

    private static void readRows(Connection c, ReportQuery q, long from, long to, Map<List<String>, Totals> groups)
            throws SQLException {
        String sql = ROWS + (q.client() != null ? " AND client = ?" : "") + " ORDER BY ts, request_id";
        Map<String, String> lastUpstream = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            if (q.client() != null) {
                ps.setString(3, q.client());
            }
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String client = rs.getString(2);
                    String session = rs.getString(3);
                    String upstream = rs.getString(4);
                    String model = rs.getString(5);
                    boolean messages = UsageRecord.MESSAGES.equals(rs.getString(6));
                    int status = rs.getInt(7);
                    String outcome = rs.getString(8);
                    String role = rs.getString(16);
                    boolean billed = "off".equals(role) || "leader".equals(role);
                    Totals t = groups.computeIfAbsent(key(q, rs.getLong(1), client, model, upstream, session),
                            k -> new Totals());
                    t.requests += messages ? 1 : 0;
                    t.countTokens += messages ? 0 : 1;
                    t.errors += status >= 400 || "failed_mid_stream".equals(outcome) ? 1 : 0;
                    t.coalesced += billed ? 0 : 1;
                    t.failovers += rs.getInt(9);
                    if (billed) {
                        t.input += rs.getLong(10);
                        t.output += rs.getLong(11);
                        t.cacheRead += rs.getLong(12);
                        t.cacheWrite5m += rs.getLong(13);
                        t.cacheWrite1h += rs.getLong(14);
                    }
                    t.cost += rs.getLong(15);
                    if (messages && billed && session != null && upstream != null) {
                        String sessionKey = client + '\u0000' + session;
                        String previous = lastUpstream.put(sessionKey, upstream);
                        if (previous != null && !previous.equals(upstream)) {
                            t.switches++;
                        }
                    }
                }
            }
        }
    }

    private static void readHours(Connection c, ReportQuery q, long from, long to, Map<List<String>, Totals> groups)
            throws SQLException {
        String sql = HOURS + (q.client() != null ? " AND client = ?" : "");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            if (q.client() != null) {
                ps.setString(3, q.client());
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Totals t = groups.computeIfAbsent(key(q, rs.getLong(1), emptyToNull(rs.getString(2)),
                            emptyToNull(rs.getString(3)), emptyToNull(rs.getString(4)), null), k -> new Totals());
                    t.requests += rs.getLong(5);
                    t.countTokens += rs.getLong(6);
                    t.errors += rs.getLong(7);
                    t.coalesced += rs.getLong(8);
                    t.failovers += rs.getLong(9);
                    t.input += rs.getLong(10);
                    t.output += rs.getLong(11);
                    t.cacheRead += rs.getLong(12);
                    t.cacheWrite5m += rs.getLong(13);
                    t.cacheWrite1h += rs.getLong(14);
                    t.cost += rs.getLong(15);
                }
            }
        }
    }

    private static List<String> key(ReportQuery q, long ts, String client, String model, String upstream,
                                    String session) {
        List<String> key = new ArrayList<>(q.groupBy().size());
        for (ReportDimension d : q.groupBy()) {
            key.add(switch (d) {
                case CLIENT -> client;
                case MODEL -> model;
                case UPSTREAM -> upstream;
                case SESSION -> session;
                case DAY -> LocalDate.ofInstant(Instant.ofEpochMilli(ts), q.zone()).toString();
            });
        }
        return key;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Spend per client since {@code from} (all clients; the anonymous caller under null). */
    public Map<String, Long> spendByClient(Instant from, Instant to) throws SQLException {
        Map<String, Long> spend = new HashMap<>();
        ReportQuery q = new ReportQuery(from, to, EnumSet.of(ReportDimension.CLIENT), null, ZoneOffset.UTC);
        for (ReportRow r : report(q)) {
            spend.merge(r.group().get(ReportDimension.CLIENT), r.costNanos(), Long::sum);
        }
        return spend;
    }

    /** Mutable sums of one group while rows are read. */
    private static final class Totals {
        long requests;
        long countTokens;
        long errors;
        long coalesced;
        long failovers;
        long switches;
        long input;
        long output;
        long cacheRead;
        long cacheWrite5m;
        long cacheWrite1h;
        long cost;

        ReportRow row(ReportQuery q, List<String> key) {
            Map<ReportDimension, String> group = new EnumMap<>(ReportDimension.class);
            int i = 0;
            for (ReportDimension d : q.groupBy()) {
                group.put(d, key.get(i++));
            }
            return new ReportRow(group, requests, countTokens, errors, coalesced, failovers, switches, input,
                    output, cacheRead, cacheWrite5m, cacheWrite1h, cost);
        }
    }
}
