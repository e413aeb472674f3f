package io.claudelb.server.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The SQL of the writer: a batch of rows and their hourly totals in one transaction, the retention purge, and the
 * purge horizon reports read. Plain JDBC with statements both SQLite and PostgreSQL accept.
 */
final class UsageTables {
    static final long HOUR_MILLIS = 3_600_000L;

    private static final String INSERT_ROW = "INSERT INTO usage_records (request_id, ts, client, session_id, upstream,"
            + " requested_model, target_model, endpoint, status, outcome, attempts, failovers, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, cost_nanousd, ttfb_us,"
            + " duration_us, coalescing) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
            + " ON CONFLICT (request_id) DO NOTHING";
    private static final String[] SUMS = {"requests", "count_tokens_requests", "errors", "coalesced", "failovers",
        "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens",
        "cost_nanousd"};
    private static final String UPSERT_HOUR = upsertHour();

    private UsageTables() {
    }

    private static String upsertHour() {
        StringBuilder sql = new StringBuilder("INSERT INTO usage_hourly (hour_start, client, target_model, upstream");
        for (String s : SUMS) {
            sql.append(", ").append(s);
        }
        sql.append(") VALUES (?,?,?,?").append(",?".repeat(SUMS.length))
                .append(") ON CONFLICT (hour_start, client, target_model, upstream) DO UPDATE SET ");
        for (int i = 0; i < SUMS.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(SUMS[i]).append(" = usage_hourly.").append(SUMS[i])
                    .append(" + excluded.").append(SUMS[i]);
        }
        return sql.toString();
    }

    /** Key of an hourly total. */
    private record HourKey(long hourStart, String client, String model, String upstream) {
    }

    /**
     * The writer thread's connection and its two prepared statements, held from one batch to the next while there is
     * more to write: preparing them for every batch cost about a tenth of the writer's time under load (SQLite
     * compiles the statement each time). The writer gives it back whenever it waits, and after any error.
     */
    static final class HeldConnection implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement insertRow;
        private final PreparedStatement upsertHour;

        HeldConnection(DataSource db) throws SQLException {
            Connection c = db.getConnection();
            try {
                c.setAutoCommit(false);
                this.insertRow = c.prepareStatement(INSERT_ROW);
                this.upsertHour = c.prepareStatement(UPSERT_HOUR);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
            this.connection = c;
        }

        @Override
        public void close() {
            closeQuietly(connection); // closes its statements too (and rolls back nothing: every write ends itself)
        }

        private static void closeQuietly(Connection c) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // broken already; the pool discards it
            }
        }
    }

    /**
     * Writes {@code rows} and adds the ones actually inserted (a row already present, from a batch whose commit
     * was acknowledged late, is skipped) to their hours, in one transaction.
     *
     * @return rows inserted
     */
    static int write(HeldConnection held, List<UsageRecord> rows) throws SQLException {
        Connection c = held.connection;
        try {
            PreparedStatement insert = held.insertRow;
            for (UsageRecord r : rows) {
                bindRow(insert, r);
                insert.addBatch();
            }
            int[] counts = insert.executeBatch();
            Map<HourKey, long[]> hours = new LinkedHashMap<>();
            int inserted = 0;
            for (int i = 0; i < rows.size(); i++) {
                if (counts[i] == 0) {
                    continue; // already there: its hour counted it
                }
                inserted++;
                UsageRecord r = rows.get(i);
                HourKey key = new HourKey(r.ts() - Math.floorMod(r.ts(), HOUR_MILLIS), nonNull(r.client()),
                        nonNull(r.targetModel()), nonNull(r.upstream()));
                add(hours.computeIfAbsent(key, k -> new long[SUMS.length]), r);
            }
            if (!hours.isEmpty()) {
                PreparedStatement ps = held.upsertHour;
                for (Map.Entry<HourKey, long[]> e : hours.entrySet()) {
                    HourKey k = e.getKey();
                    ps.setLong(1, k.hourStart());
                    ps.setString(2, k.client());
                    ps.setString(3, k.model());
                    ps.setString(4, k.upstream());
                    long[] sums = e.getValue();
                    for (int i = 0; i < sums.length; i++) {
                        ps.setLong(5 + i, sums[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
            return inserted;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    private static void add(long[] sums, UsageRecord r) {
        boolean messages = r.endpoint().equals(UsageRecord.MESSAGES);
        sums[0] += messages ? 1 : 0;
        sums[1] += messages ? 0 : 1;
        sums[2] += r.error() ? 1 : 0;
        sums[3] += r.billed() ? 0 : 1;
        sums[4] += r.failovers();
        if (r.billed()) {
            sums[5] += r.inputTokens();
            sums[6] += r.outputTokens();
            sums[7] += r.cacheReadTokens();
            sums[8] += r.cacheWrite5mTokens();
            sums[9] += r.cacheWrite1hTokens();
        }
        sums[10] += r.costNanos();
    }

    private static void bindRow(PreparedStatement ps, UsageRecord r) throws SQLException {
        ps.setString(1, r.requestId());
        ps.setLong(2, r.ts());
        setText(ps, 3, r.client());
        setText(ps, 4, r.session());
        setText(ps, 5, r.upstream());
        setText(ps, 6, r.requestedModel());
        setText(ps, 7, r.targetModel());
        ps.setString(8, r.endpoint());
        ps.setInt(9, r.status());
        ps.setString(10, r.outcome());
        ps.setInt(11, r.attempts());
        ps.setInt(12, r.failovers());
        ps.setLong(13, r.inputTokens());
        ps.setLong(14, r.outputTokens());
        ps.setLong(15, r.cacheReadTokens());
        ps.setLong(16, r.cacheWrite5mTokens());
        ps.setLong(17, r.cacheWrite1hTokens());
        ps.setLong(18, r.costNanos());
        ps.setLong(19, r.ttfbMicros());
        ps.setLong(20, r.durationMicros());
        ps.setString(21, r.coalescing());
    }

    private static void setText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /**
     * Deletes rows received before {@code before} (rounded down to the hour, so the hourly totals cover exactly what
     * is gone) and records the new horizon.
     *
     * @return rows deleted
     */
    static int purge(HeldConnection held, long before) throws SQLException {
        long horizon = before - Math.floorMod(before, HOUR_MILLIS);
        Connection c = held.connection; // in a transaction already: it never auto-commits
        try {
            int deleted;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM usage_records WHERE ts < ?")) {
                ps.setLong(1, horizon);
                deleted = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE usage_retention SET purged_before = ? WHERE id = 1 AND purged_before < ?")) {
                ps.setLong(1, horizon);
                ps.setLong(2, horizon);
                ps.executeUpdate();
            }
            c.commit();
            return deleted;
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(c);
            throw e;
        }
    }

    /** Epoch millis before which only hourly totals remain (0: nothing was purged yet). */
    static long horizon(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT purged_before FROM usage_retention WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the pool discards it
        }
    }
}
