package io.claudelb.server.admission;

import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.limit.Admission;
import io.claudelb.core.limit.LimitKind;
import io.claudelb.core.limit.Limiter;
import io.claudelb.core.limit.Ticket;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Admission of proxied requests against {@code limits:}, before any upstream call: {@link #admit} either refuses
 * (the 429 to send, {@link LimitRefusals}) or holds a {@link Ticket} under the request id until the request's
 * {@link io.claudelb.server.observe.ExchangeEvent} arrives, when the usage observer {@link #finished finishes}
 * it with the answer's tokens and cost. Every admitted request ends in exactly one event, so every ticket is
 * finished. Lives as long as the gateway; a reload {@link #reconfigure reconfigures} the limits and keeps every
 * count. Safe from every event loop; nothing here blocks.
 */
public final class Admissions {
    private final Limiter limiter;
    private final Map<String, Ticket> tickets = new ConcurrentHashMap<>();
    /** Refusals since start by the limit that refused (for /metrics). */
    private final AtomicLongArray refused = new AtomicLongArray(LimitKind.values().length);

    public Admissions(LimitsSettings settings, NanoClock clock, LongSupplier wallMillis) {
        this.limiter = new Limiter(settings, clock, wallMillis);
    }

    /**
     * Admits the request {@code record} describes (its client and session are set).
     *
     * @return null when admitted; else the 429 to answer with (the caller owns it)
     */
    public FullHttpResponse admit(ByteBufAllocator alloc, ExchangeRecord record) {
        Admission a = limiter.admit(record.clientName(), record.sessionId());
        if (!a.admitted()) {
            refused.incrementAndGet(a.refusal().kind().ordinal());
            return LimitRefusals.response(alloc, a.refusal());
        }
        tickets.put(record.requestId(), a.ticket());
        return null;
    }

    /** The admitted request {@code requestId} ended: release its slot, charge its tokens and cost. */
    public void finished(String requestId, long tokens, long costNanos) {
        Ticket t = tickets.remove(requestId);
        if (t != null) {
            t.finish(tokens, costNanos);
        }
    }

    /** Requests refused with a 429 since start because {@code kind} was exhausted. */
    public long refused(LimitKind kind) {
        return refused.get(kind.ordinal());
    }

    /** Tickets not finished yet (requests in flight; for tests). */
    public int open() {
        return tickets.size();
    }

    public void reconfigure(LimitsSettings settings) {
        limiter.reconfigure(settings);
    }

    public Limiter limiter() {
        return limiter;
    }
}
