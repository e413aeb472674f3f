package io.claudelb.server.inbound;

import io.claudelb.server.coalesce.Coalescing;
import io.claudelb.server.exchange.RunningExchange;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.local.TokenCountEstimates;
import io.claudelb.server.observe.ActiveExchanges;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.routing.RequestRouting;
import io.claudelb.server.routing.RoutedRequest;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code exchange}: runs one request at a time for its client connection (the {@link PipeliningGate} holds a
 * pipelined request until the answer before it is complete). Each request is routed ({@link RequestRouting}: a
 * refusal or a local token estimate is answered here), admitted ({@link io.claudelb.server.admission.Admissions}:
 * a client or session over its limits gets a 429 before any upstream call), then answered by {@link Coalescing}:
 * an {@code exchange.AttemptLoop} of its own, or a place in an identical request's call, writing into a
 * {@link ClientSink} on this connection. The handler forwards the connection's writability and disconnect to the
 * running exchange, and during shutdown closes the connection as soon as its exchange ends.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {
    private final Gateway gateway;
    private ChannelHandlerContext ctx;
    private RunningExchange current;
    private ClientSink sink;
    private boolean draining;
    /** A local token estimate is being counted off the loop: the connection is busy until it is answered. */
    private boolean estimating;

    private final Coalescing coalescing;
    private final ActiveExchanges active;
    private final LocalAnswers answers;
    /** Whether the running exchange (the one {@link #sink} belongs to) is a stream, for {@link #active}. */
    private boolean streaming;

    public ExchangeHandler(Gateway gateway, Coalescing coalescing, ActiveExchanges active, LocalAnswers answers) {
        this.gateway = gateway;
        this.coalescing = coalescing;
        this.active = active;
        this.answers = answers;
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
        if (sink != null || estimating) {
            // The pipelining gate lets one request through at a time: answering this one now would break order.
            ReferenceCountUtil.release(request.request());
            throw new IllegalStateException("a request reached the exchange while another was running");
        }
        begin(request);
    }

    private void begin(ProxyRequest proxyRequest) {
        FullHttpRequest request = proxyRequest.request();
        ExchangeRecord record = proxyRequest.record();
        ConfigSnapshot snapshot = gateway.snapshot();
        RequestRouting.Outcome routing = RequestRouting.route(snapshot, request, proxyRequest.clientName(),
                proxyRequest.countTokens());
        if (routing.info() != null) {
            record.request(routing.info().model(), routing.info().stream(), proxyRequest.countTokens());
        }
        if (routing instanceof RequestRouting.Refused refused) {
            answerLocally(request, record, LocalResponses.error(ctx.alloc(), refused.status(), refused.errorType(),
                    refused.message()));
        } else if (routing instanceof RequestRouting.EstimateLocally) {
            estimateOffLoop(request, record);
        } else {
            RoutedRequest routed = ((RequestRouting.Routed) routing).request();
            record.session(routed.selection().sessionKey());
            FullHttpResponse refused = gateway.admissions().admit(ctx.alloc(), record);
            if (refused != null) {
                answerLocally(request, record, refused);
                return;
            }
            sink = new ClientSink(ctx, request.protocolVersion().equals(HttpVersion.HTTP_1_0), this::answered);
            streaming = routing.info() != null && routing.info().stream();
            active.started(streaming);
            current = coalescing.begin(snapshot, request, routed, record, sink, ctx.channel().eventLoop());
        }
    }

    /** A local token estimate: counted on the control plane, answered here when it is done. */
    private void estimateOffLoop(FullHttpRequest request, ExchangeRecord record) {
        estimating = true;
        TokenCountEstimates.answer(gateway.controlPlane(), ctx, request.content(), response -> {
            estimating = false;
            if (!ctx.channel().isActive()) {
                ReferenceCountUtil.release(request);
                ReferenceCountUtil.release(response);
                return;
            }
            answerLocally(request, record, response);
            if (draining) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    private void answerLocally(FullHttpRequest request, ExchangeRecord record, FullHttpResponse response) {
        ReferenceCountUtil.release(request);
        answers.write(ctx, record, response);
        readyForNext();
    }

    /** The running exchange's answer is over (complete, or cut and to be closed). */
    private void answered(ClientSink done, boolean keepConnection) {
        if (done != sink) {
            return;
        }
        sink = null;
        active.ended(streaming);
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
        ClientSink s = sink;
        if (s != null) {
            s.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        RunningExchange running = current;
        current = null;
        if (sink != null) {
            sink = null;
            active.ended(streaming);
        }
        if (running != null) {
            running.cancel();
        }
        ctx.fireChannelInactive();
    }

    /** Shutdown: close now if idle, else as soon as the running exchange ends. Call on the channel's loop. */
    public void drain() {
        draining = true;
        if (!busy()) {
            ctx.close();
        }
    }

    /**
     * The shutdown grace is over: a running stream ends with an error event (and is logged as cut by shutdown,
     * not as a client abort), a request still waiting gets a 503; then the connection closes. Call on the
     * channel's loop.
     */
    public void cutByShutdown() {
        draining = true;
        RunningExchange running = current;
        if (running != null) {
            running.shutDown();
        } else if (!estimating) {
            ctx.close();
        }
    }

    public boolean busy() {
        return sink != null || estimating;
    }
}
