package io.claudelb.server.inbound;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.codec.json.RequestInspector;
import io.claudelb.codec.session.SessionIds;
import io.claudelb.core.balance.SelectionContext;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.claudelb.server.auth.CallerCredential;
import io.claudelb.server.exchange.Exchange;
import io.claudelb.server.exchange.ExchangeListener;
import io.claudelb.server.local.LocalResponses;
import io.claudelb.server.local.TokenCountEstimates;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code exchange}: runs one {@link Exchange} at a time for its client connection; requests arrive one at a time
 * because {@link PipeliningGate} holds a pipelined request until the answer before it is complete. It forwards the
 * client's writability and disconnect to the running exchange, and during shutdown closes the connection as soon as
 * its exchange ends.
 *
 * <p>Before an exchange starts, the route's candidates are narrowed ({@link RouteNarrowing}): a forced upstream
 * that is not a target answers 404, a caller who may use no target answers 401, and a {@code count_tokens} request
 * that no target relays is answered here with a local estimate ({@link TokenCountEstimates}). Then admission
 * ({@link io.claudelb.server.admission.Admissions}): a client or session over its limits gets a 429 before any
 * upstream call.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter implements ExchangeListener {
    private static final String SESSION_HEADER = "x-claude-code-session-id";

    private final Gateway gateway;
    private ChannelHandlerContext ctx;
    private Exchange current;
    private boolean draining;

    public ExchangeHandler(Gateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ProxyRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (current != null) {
            // The pipelining gate lets one request through at a time: answering this one now would break order.
            ReferenceCountUtil.release(request.request());
            throw new IllegalStateException("a request reached the exchange while another was running");
        }
        begin(request);
    }

    private void begin(ProxyRequest proxyRequest) {
        FullHttpRequest request = proxyRequest.request();
        ConfigSnapshot snapshot = gateway.snapshot();
        ExchangeRecord record = proxyRequest.record();
        RequestInfo info;
        try {
            info = RequestInspector.inspect(request.content());
        } catch (InvalidRequestException e) {
            answerLocally(request, record, LocalResponses.error(ctx.alloc(), 400, "invalid_request_error",
                    e.getMessage()));
            return;
        }
        record.request(info.model(), info.stream(), proxyRequest.countTokens());
        RouteDecision decision = snapshot.router().route(info.model());
        if (decision == null) {
            answerLocally(request, record, LocalResponses.error(ctx.alloc(), 404, "not_found_error",
                    "model: " + info.model() + " is not served by any route of this gateway."));
            return;
        }
        GatewayConfig config = snapshot.config();
        String forced = RouteNarrowing.forcedUpstream(request.headers(), info);
        if (forced != null) {
            RouteDecision only = RouteNarrowing.force(decision, forced);
            if (only == null) {
                answerLocally(request, record, LocalResponses.error(ctx.alloc(), 404, "not_found_error",
                        config.upstreamsByName().containsKey(forced)
                                ? "Upstream '" + forced + "' does not serve model '" + info.model() + "'."
                                : "No upstream named '" + forced + "'."));
                return;
            }
            decision = only;
        }
        boolean authenticated = proxyRequest.clientName() != null;
        CallerCredential caller = CallerCredential.of(request.headers(), authenticated);
        RouteDecision usable = RouteNarrowing.usableBy(decision, config.requiresClientKey() && !authenticated,
                caller);
        if (usable == null) {
            answerLocally(request, record, LocalResponses.error(ctx.alloc(), 401, "authentication_error",
                    unusableMessage(decision, info.model(), authenticated)));
            return;
        }
        decision = usable;
        if (proxyRequest.countTokens()) {
            RouteDecision counting = RouteNarrowing.countingTokens(decision);
            if (counting == null) {
                answerLocally(request, record, TokenCountEstimates.answer(ctx.alloc(), request.content()));
                return;
            }
            decision = counting;
        }
        String session = request.headers().get(SESSION_HEADER);
        if (session == null || session.isEmpty()) {
            session = info.userId() == null ? null : SessionIds.fromUserId(info.userId());
        }
        if (session == null) {
            session = proxyRequest.clientName();
        }
        record.session(session);
        SelectionContext selection = new SelectionContext(session, proxyRequest.clientName());
        FullHttpResponse refused = gateway.admissions().admit(ctx.alloc(), record);
        if (refused != null) {
            answerLocally(request, record, refused);
            return;
        }
        current = new Exchange(gateway.exchangeServices(), snapshot, ctx, request, info, decision, selection, caller,
                proxyRequest.countTokens(), record, this);
        current.start();
    }

    /** Why no target of {@code decision} may serve this caller. */
    private static String unusableMessage(RouteDecision decision, String model, boolean authenticated) {
        if (!RouteNarrowing.hasPassthrough(decision)) {
            return "Invalid or missing API key. Send a claude-lb client key as x-api-key or Authorization: Bearer.";
        }
        return "Model '" + model + "' is served with each caller's own credential: send it as "
                + (authenticated
                ? CallerCredential.UPSTREAM_API_KEY + " or " + CallerCredential.UPSTREAM_AUTHORIZATION
                        + " (x-api-key and Authorization carry your claude-lb key)."
                : "x-api-key or Authorization.");
    }

    private void answerLocally(FullHttpRequest request, ExchangeRecord record, FullHttpResponse response) {
        record.answeredLocally(response.status().code(), gateway.clock().nanoTime() - record.startNanos());
        response.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        ReferenceCountUtil.release(request);
        ctx.writeAndFlush(response);
        gateway.exchangeServices().observers().exchangeEnded(record.toEvent(gateway.clock().nanoTime()));
        readyForNext();
    }

    @Override
    public void exchangeDone(Exchange exchange, boolean keepConnection) {
        if (exchange != current) {
            return;
        }
        current = null;
        if (!keepConnection || draining) {
            // Close behind the bytes still queued for the client: a bare close() would discard them.
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        readyForNext();
    }

    /** The answer is complete: the next request's bytes start its own read timer. */
    private void readyForNext() {
        ctx.pipeline().get(ClientTimeouts.class).readyForNext();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.onClientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange running = current;
        current = null;
        if (running != null) {
            running.onClientClosed();
        }
        ctx.fireChannelInactive();
    }

    /** Shutdown: close now if idle, else as soon as the running exchange ends. Call on the channel's loop. */
    public void drain() {
        draining = true;
        if (current == null) {
            ctx.close();
        }
    }

    public boolean busy() {
        return current != null;
    }
}
