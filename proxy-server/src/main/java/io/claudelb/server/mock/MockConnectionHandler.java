package io.claudelb.server.mock;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a mock connection: records each aggregated request, routes it to the first matching
 * {@link MockRoute} (404 not_found_error when none matches) and serves one request at a time. The channel runs with
 * auto-read off; the next read is asked for only when the current answer is complete, and requests that arrived
 * pipelined wait in a queue, released if the connection goes away.
 */
final class MockConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MockConnectionHandler.class);

    private final MockUpstreamState state;
    private final List<MockRoute> routes;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private long connectionId;
    private int requestsOnConnection;
    private MockExchange current;
    private boolean dispatching;

    MockConnectionHandler(MockUpstreamState state, List<MockRoute> routes) {
        this.state = state;
        this.routes = routes;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            activate();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        activate();
        ctx.fireChannelActive();
    }

    private void activate() {
        if (connectionId == 0) {
            connectionId = state.connectionAccepted();
            ctx.read();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        pending.add(request);
        if (current == null) {
            serveNext();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (current != null && ctx.channel().isWritable()) {
            current.channelWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseAll();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Peers of a mock reset and vanish on purpose in tests; nothing here is worth more than a debug line.
        LOG.debug("mock {} connection {} failed: {}", state.name(), connectionId, cause.toString());
        ctx.close();
    }

    /** Called by the exchange when its answer is complete (or reset): serve the next request or read more. */
    void exchangeDone(MockExchange exchange) {
        if (current != exchange) {
            return;
        }
        current = null;
        if (!dispatching && ctx.channel().isActive()) {
            serveNext();
        }
    }

    // A loop rather than recursion: an answer completed synchronously inside dispatch ends with current == null.
    private void serveNext() {
        while (current == null) {
            FullHttpRequest request = pending.poll();
            if (request == null) {
                ctx.read();
                return;
            }
            current = new MockExchange(ctx, state, this);
            dispatching = true;
            try {
                dispatch(request, current);
            } finally {
                dispatching = false;
                request.release();
            }
            if (!ctx.channel().isActive()) {
                return;
            }
        }
    }

    private void dispatch(FullHttpRequest request, MockExchange exchange) {
        requestsOnConnection++;
        RequestRecorder recorder = state.recorder();
        // A workspace's endpoint listing is counted by MockCloud, not recorded: the proxy lists at start, and tests
        // that read the recorded requests look at model requests.
        if (recorder != null && !ServingEndpointsRoute.isListing(request.uri())) {
            recorder.record(request, connectionId, requestsOnConnection);
        }
        if (request.decoderResult().isFailure()) {
            exchange.closeAfterResponse();
            exchange.respondError(400, "invalid_request_error", "mock: malformed HTTP request");
            return;
        }
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        for (MockRoute route : routes) {
            if (route.matches(request.method(), path)) {
                try {
                    route.serve(request, exchange);
                } catch (IllegalArgumentException e) {
                    exchange.respondError(400, "invalid_request_error", "mock: " + e.getMessage());
                }
                return;
            }
        }
        exchange.respondError(404, "not_found_error", "mock: no route for " + request.method() + " " + path);
    }

    private void releaseAll() {
        if (current != null) {
            current.abandon();
            current = null;
        }
        FullHttpRequest request;
        while ((request = pending.poll()) != null) {
            request.release();
        }
    }
}
