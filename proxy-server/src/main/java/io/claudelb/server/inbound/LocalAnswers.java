package io.claudelb.server.inbound;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The one way the inbound pipeline writes an answer claude-lb produced itself (a refusal, a local endpoint, a 408
 * from {@link ClientTimeouts}, a 413 or 417 from {@link BodyAggregator}): the answer gets its request's id, and the
 * observers get the request's {@link io.claudelb.server.observe.ExchangeEvent}, so every local answer has its
 * access line, written by the same observer as a relayed one. Shared by the handlers of every connection.
 */
public final class LocalAnswers {
    /** Method and path of a request whose head was never read. */
    static final String UNKNOWN = "-";

    private final NanoClock clock;
    private final LongSupplier wallClock;
    private final Supplier<ExchangeObserver> observers;

    /**
     * @param clock     the clock timings are taken on
     * @param wallClock wall time in milliseconds, for the event's start
     * @param observers who hears about each answer (asked at each answer: a reload may change the services)
     */
    public LocalAnswers(NanoClock clock, LongSupplier wallClock, Supplier<ExchangeObserver> observers) {
        this.clock = clock;
        this.wallClock = wallClock;
        this.observers = observers;
    }

    public static LocalAnswers of(Gateway gateway) {
        return new LocalAnswers(gateway.clock(), gateway.wallClock(), () -> gateway.exchangeServices().observers());
    }

    /** A record for a request received now. */
    ExchangeRecord record(String method, String path, String clientName) {
        return record(method, path, clientName, 0);
    }

    /** A record for a request whose first byte arrived {@code ageNanos} ago. */
    ExchangeRecord record(String method, String path, String clientName, long ageNanos) {
        long age = Math.max(0, ageNanos);
        long wallMillis = wallClock.getAsLong() - age / 1_000_000;
        return new ExchangeRecord(LocalResponses.newRequestId(wallMillis), clock.nanoTime() - age, wallMillis,
                method, path, clientName);
    }

    /**
     * Writes {@code response} through {@code out} (a handler's context, or the channel to pass the whole pipeline),
     * taking ownership (on a closed channel the failed write releases it), and reports the request as ended.
     */
    ChannelFuture write(ChannelOutboundInvoker out, ExchangeRecord record, FullHttpResponse response) {
        stamp(record, response);
        ChannelFuture written = out.writeAndFlush(response);
        report(record);
        return written;
    }

    /**
     * Stamps {@code response} and reports the request as ended, for an answer that Netty writes at once on return
     * (the aggregator's answer to an expectation it cannot meet): the same id and access line as {@link #write}.
     */
    FullHttpResponse answered(ExchangeRecord record, FullHttpResponse response) {
        stamp(record, response);
        report(record);
        return response;
    }

    private void stamp(ExchangeRecord record, FullHttpResponse response) {
        response.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        record.answeredLocally(response.status().code(), clock.nanoTime() - record.startNanos());
        record.bytes(response.content().readableBytes());
    }

    private void report(ExchangeRecord record) {
        observers.get().exchangeEnded(record.toEvent(clock.nanoTime()));
    }
}
