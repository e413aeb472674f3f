package io.claudelb.server.coalesce;

import io.claudelb.core.config.DedupSettings;
import io.claudelb.server.exchange.AttemptLoop;
import io.claudelb.server.exchange.ResponseSink;
import io.claudelb.server.exchange.RunningExchange;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.claudelb.server.gateway.ExchangeServices;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.routing.RoutedRequest;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;

/**
 * Step 3 of the request path, the coalescing half of admission: a routed request either leads an upstream call
 * (which identical requests arriving meanwhile follow), follows one that is in flight, is answered from a kept
 * completed answer, or, with coalescing off ({@code dedup.enabled: false}, the route's {@code dedup: false}, or the
 * request's {@code x-claude-lb-dedup: off}, for callers who want independent samples), runs alone. Identical means
 * the same {@link CoalescingKey}: never across principals. One per gateway; called on the request's event loop.
 */
public final class Coalescing {
    static final AsciiString DEDUP_HEADER = AsciiString.cached("x-claude-lb-dedup");

    private final CoalescingRegistry registry;
    private final ExchangeServices services;

    public Coalescing(CoalescingRegistry registry, ExchangeServices services) {
        this.registry = registry;
        this.services = services;
    }

    public CoalescingStats stats() {
        return registry.stats();
    }

    /**
     * Starts answering {@code request} (whose ownership passes here) into {@code sink}.
     *
     * @return what the connection must tell about its client (gone, shutdown)
     */
    public RunningExchange begin(ConfigSnapshot snapshot, FullHttpRequest request, RoutedRequest routed,
                                 ExchangeRecord record, ResponseSink sink, EventLoop loop) {
        DedupSettings settings = snapshot.config().dedup();
        if (!settings.enabled() || !routed.decision().dedup() || "off".equalsIgnoreCase(
                request.headers().get(DEDUP_HEADER))) {
            return alone(snapshot, request, routed, record, sink, loop);
        }
        registry.configure(settings);
        CoalescingKey key = CoalescingKeys.of(request, routed, record.clientName());
        boolean wantsStream = routed.info().stream();
        CoalescingRegistry.Completed kept = registry.completed(key);
        if (kept != null && (kept.answer().stream() || !wantsStream)) {
            ReferenceCountUtil.release(request);
            Subscriber replay = subscriber(sink, loop, record, CoalescingRole.REPLAY, wantsStream, settings, null);
            replay.offer(kept.answer().pieces());
            kept.facts().tell(replay);
            return replay;
        }
        CoalescedCall[] created = new CoalescedCall[1];
        CoalescedCall call = registry.leadOrJoin(key, wantsStream, () -> created[0] =
                new CoalescedCall(key, wantsStream, loop, sink.alloc(), settings, registry));
        if (call == created[0]) {
            Subscriber leader = subscriber(sink, loop, record, CoalescingRole.LEADER, wantsStream, settings, null);
            AttemptLoop upstream = new AttemptLoop(services, snapshot, request, routed, record.forCall(), call,
                    loop, call);
            call.start(upstream, leader);
            return leader;
        }
        Subscriber follower = subscriber(sink, loop, record, CoalescingRole.FOLLOWER, wantsStream, settings,
                () -> alone(snapshot, request, routed, record, sink, loop));
        // A follower makes no call of its own, but keeps its request until the call has taken it: if the call
        // ends between this lookup and the attach, the request is answered alone after all.
        follower.hold(request);
        if (!call.tryJoin(follower)) {
            follower.missed();
            return follower;
        }
        return follower;
    }

    private Subscriber subscriber(ResponseSink sink, EventLoop loop, ExchangeRecord record, CoalescingRole role,
                                  boolean wantsStream, DedupSettings settings,
                                  Supplier<RunningExchange> alone) {
        return new Subscriber(sink, loop, record, services.observers(), services.clock(), role, wantsStream,
                settings.maxReplayBytes(), registry.stats(), alone);
    }

    private RunningExchange alone(ConfigSnapshot snapshot, FullHttpRequest request, RoutedRequest routed,
                                  ExchangeRecord record, ResponseSink sink, EventLoop loop) {
        record.role(CoalescingRole.OFF);
        AttemptLoop own = new AttemptLoop(services, snapshot, request, routed, record, sink, loop,
                services.observers());
        own.start();
        return own;
    }
}
