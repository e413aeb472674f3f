package io.claudelb.server.local;

import com.fasterxml.jackson.core.JsonGenerator;
import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.config.BudgetLimits;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.limit.BucketView;
import io.claudelb.core.limit.BudgetPeriod;
import io.claudelb.core.limit.ClientStatus;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.usage.ReportDimension;
import io.claudelb.server.usage.ReportQuery;
import io.claudelb.server.usage.ReportRow;
import io.claudelb.server.usage.UsageStore;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /usage} (a usage report from the database) and {@code GET /usage/clients/{name}} (a client's limits
 * and what is left of each). The admin key sees everything; a client key sees only its own rows and its own
 * limits; a gateway without client keys (loopback only) answers everyone, as {@code /stats} does. Reports run on
 * the control plane, never on an event loop.
 */
final class UsageEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(UsageEndpoints.class);
    static final String USAGE = "/usage";
    private static final String CLIENTS = "/usage/clients/";

    private final Gateway gateway;
    private final UsageStore store;

    UsageEndpoints(Gateway gateway, UsageStore store) {
        this.gateway = gateway;
        this.store = store;
    }

    static boolean handles(String path) {
        return path.equals(USAGE) || path.startsWith(CLIENTS);
    }

    /** @param clientName the client key the request carried, or null */
    CompletionStage<FullHttpResponse> answer(ByteBufAllocator alloc, FullHttpRequest request, String path,
                                             String clientName) {
        GatewayConfig config = gateway.snapshot().config();
        boolean admin = !config.admin().apiKey().isEmpty()
                && config.admin().apiKey().matches(HeaderRules.clientCredential(request.headers()));
        boolean open = !config.requiresClientKey();
        if (!admin && !open && clientName == null) {
            return done(LocalResponses.error(alloc, 401, "authentication_error",
                    "Usage needs the admin key, or a client key for that client's own usage."));
        }
        String only = admin || open ? null : clientName;
        if (path.startsWith(CLIENTS)) {
            String name = QueryStringDecoder.decodeComponent(path.substring(CLIENTS.length()));
            if (only != null && !only.equals(name)) {
                return done(LocalResponses.error(alloc, 403, "permission_error",
                        "A client key shows only its own limits."));
            }
            if (config.requiresClientKey() && config.clients().stream().noneMatch(c -> c.name().equals(name))) {
                return done(LocalResponses.error(alloc, 404, "not_found_error", "No client named '" + name + "'."));
            }
            return done(clientStatus(alloc, gateway.admissions().limiter().status(
                    config.requiresClientKey() ? name : null)));
        }
        ReportQuery query;
        try {
            QueryStringDecoder qs = new QueryStringDecoder(request.uri());
            query = ReportQuery.parse(param(qs, "from"), param(qs, "to"), param(qs, "group_by"), only,
                    config.limits().timezone(), Instant.ofEpochMilli(gateway.wallClock().getAsLong()));
        } catch (IllegalArgumentException e) {
            return done(LocalResponses.error(alloc, 400, "invalid_request_error", e.getMessage()));
        }
        if (store.reports() == null) {
            return done(LocalResponses.error(alloc, 404, "not_found_error",
                    "Usage is not recorded: storage is off in this gateway's config."));
        }
        return gateway.controlPlane().submit(() -> report(alloc, query));
    }

    private FullHttpResponse report(ByteBufAllocator alloc, ReportQuery query) {
        List<ReportRow> rows;
        try {
            rows = store.reports().report(query);
        } catch (SQLException e) {
            LOG.warn("usage report failed: {}", e.getMessage());
            return LocalResponses.error(alloc, 503, "api_error", "The usage database is unavailable right now.");
        }
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            g.writeStringField("from", query.from().toString());
            g.writeStringField("to", query.to().toString());
            g.writeStringField("timezone", query.zone().getId());
            g.writeArrayFieldStart("group_by");
            for (ReportDimension d : query.groupBy()) {
                g.writeString(d.wireName());
            }
            g.writeEndArray();
            if (query.client() != null) {
                g.writeStringField("client", query.client());
            }
            g.writeArrayFieldStart("rows");
            for (ReportRow r : rows) {
                writeRow(g, r, query.groupBy());
            }
            g.writeEndArray();
            g.writeFieldName("total");
            writeRow(g, ReportRow.total(rows), Set.of());
            g.writeEndObject();
        }));
    }

    static void writeRow(JsonGenerator g, ReportRow r, Set<ReportDimension> dims) throws IOException {
        g.writeStartObject();
        for (ReportDimension d : dims) {
            String v = r.group().get(d);
            if (v == null) {
                g.writeNullField(d.wireName());
            } else {
                g.writeStringField(d.wireName(), v);
            }
        }
        g.writeNumberField("requests", r.requests());
        g.writeNumberField("count_tokens_requests", r.countTokens());
        g.writeNumberField("errors", r.errors());
        g.writeNumberField("coalesced", r.coalesced());
        g.writeNumberField("failovers", r.failovers());
        g.writeNumberField("upstream_switches", r.upstreamSwitches());
        g.writeObjectFieldStart("tokens");
        g.writeNumberField("input", r.inputTokens());
        g.writeNumberField("output", r.outputTokens());
        g.writeNumberField("cache_read", r.cacheReadTokens());
        g.writeNumberField("cache_write_5m", r.cacheWrite5mTokens());
        g.writeNumberField("cache_write_1h", r.cacheWrite1hTokens());
        g.writeEndObject();
        writeUsd(g, "cost_usd", r.costNanos());
        Double hit = r.cacheHitRate();
        if (hit == null) {
            g.writeNullField("cache_hit_rate");
        } else {
            g.writeNumberField("cache_hit_rate", Math.round(hit * 10_000) / 10_000.0);
        }
        g.writeEndObject();
    }

    private static FullHttpResponse clientStatus(ByteBufAllocator alloc, ClientStatus s) {
        ClientLimits l = s.limits();
        return LocalResponses.json(200, JsonBodies.write(alloc, g -> {
            g.writeStartObject();
            if (s.client() == null) {
                g.writeNullField("client");
            } else {
                g.writeStringField("client", s.client());
            }
            g.writeObjectFieldStart("limits");
            g.writeNumberField("requests_per_minute", l.requestsPerMinute());
            g.writeNumberField("tokens_per_minute", l.tokensPerMinute());
            g.writeNumberField("concurrent", l.concurrent());
            g.writeNumberField("session_requests_per_minute", s.sessionRequestsPerMinute());
            g.writeObjectFieldStart("budget");
            BudgetLimits b = l.budget();
            writeUsd(g, "daily_usd", b.dailyNanos());
            writeUsd(g, "weekly_usd", b.weeklyNanos());
            writeUsd(g, "monthly_usd", b.monthlyNanos());
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("remaining");
            bucket(g, "requests", s.requests());
            bucket(g, "tokens", s.tokens());
            if (l.concurrent() > 0) {
                g.writeNumberField("concurrent", Math.max(0, l.concurrent() - s.inFlight()));
            } else {
                g.writeNullField("concurrent");
            }
            g.writeEndObject();
            g.writeNumberField("in_flight", s.inFlight());
            g.writeObjectFieldStart("spend");
            for (Map.Entry<BudgetPeriod, ClientStatus.Budget> e : s.budgets().entrySet()) {
                ClientStatus.Budget budget = e.getValue();
                g.writeObjectFieldStart(e.getKey().wireName());
                writeUsd(g, "spent_usd", budget.spentNanos());
                if (budget.limitNanos() > 0) {
                    writeUsd(g, "budget_usd", budget.limitNanos());
                    writeUsd(g, "remaining_usd", budget.remainingNanos());
                } else {
                    g.writeNullField("budget_usd");
                    g.writeNullField("remaining_usd");
                }
                g.writeStringField("resets_at", Instant.ofEpochMilli(budget.endMillis()).toString());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeEndObject();
        }));
    }

    private static void bucket(JsonGenerator g, String name, BucketView view) throws IOException {
        if (view == null) {
            g.writeNullField(name);
            return;
        }
        g.writeObjectFieldStart(name);
        g.writeNumberField("limit", view.limit());
        g.writeNumberField("remaining", view.remaining());
        g.writeStringField("reset", Instant.ofEpochMilli(view.resetMillis()).toString());
        g.writeEndObject();
    }

    /** Dollars as a plain JSON number, exact to the nano-dollar ({@code 12.5}, never {@code 1.25E+1}). */
    static void writeUsd(JsonGenerator g, String field, long nanos) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString());
    }

    private static String param(QueryStringDecoder qs, String name) {
        List<String> values = qs.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static CompletionStage<FullHttpResponse> done(FullHttpResponse res) {
        return CompletableFuture.completedFuture(res);
    }
}
