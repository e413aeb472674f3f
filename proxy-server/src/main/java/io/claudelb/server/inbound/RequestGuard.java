package io.claudelb.server.inbound;

import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.server.Gateway;
import io.claudelb.server.local.LocalEndpoints;
import io.claudelb.server.local.LocalResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;

/**
 * {@code request-guard}: decides what each complete request is. Malformed HTTP gets 400; exempt local endpoints
 * (health, Claude Code's preflights and telemetry) are answered at once; everything else needs a client key when
 * keys are configured (401 otherwise; on a {@code server.auth_exempt_paths} path a key is optional, and a matching one
 * still names the client); {@code /v1/messages} and {@code count_tokens} go on to the exchange as a
 * {@link ProxyRequest}; the other local endpoints are answered by {@link LocalEndpoints}.
 */
@Sharable
public final class RequestGuard extends ChannelInboundHandlerAdapter {
    private static final String MESSAGES = "/v1/messages";
    private static final String COUNT_TOKENS = "/v1/messages/count_tokens";

    private final Gateway gateway;
    private final LocalEndpoints local;

    public RequestGuard(Gateway gateway, LocalEndpoints local) {
        this.gateway = gateway;
        this.local = local;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.pipeline().get(ClientTimeouts.class).requestReceived();
        boolean forwarded = false;
        try {
            if (request.decoderResult().isFailure()) {
                ctx.writeAndFlush(LocalResponses.error(ctx.alloc(), 400, "invalid_request_error",
                        "Malformed HTTP request.")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            GatewayConfig config = gateway.snapshot().config();
            String path = path(request.uri());
            String clientName = null;
            boolean exempt = config.server().authExemptPaths().contains(path);
            if (config.requiresClientKey() && exempt) {
                // No key needed here, but one that matches still identifies the caller: its credential is then
                // claude-lb's and never passes through to an upstream (see CallerCredential).
                clientName = ClientKeys.match(config.clients(), HeaderRules.clientCredential(request.headers()));
            } else if (config.requiresClientKey() && !LocalEndpoints.isAlwaysOpen(request.method(), path)
                    && !LocalEndpoints.usesAdminKey(path)) {
                clientName = ClientKeys.match(config.clients(), HeaderRules.clientCredential(request.headers()));
                if (clientName == null) {
                    reply(ctx, LocalResponses.error(ctx.alloc(), 401, "authentication_error",
                            "Invalid or missing API key. Send a claude-lb client key as x-api-key or "
                                    + "Authorization: Bearer."));
                    return;
                }
            }
            boolean messages = path.equals(MESSAGES);
            boolean countTokens = path.equals(COUNT_TOKENS);
            if (messages || countTokens) {
                if (!HttpMethod.POST.equals(request.method())) {
                    reply(ctx, LocalResponses.error(ctx.alloc(), 405, "invalid_request_error",
                            "Method " + request.method() + " is not allowed on " + path + "; use POST."));
                    return;
                }
                forwarded = true;
                ctx.fireChannelRead(new ProxyRequest(request, clientName, gateway.clock().nanoTime(), countTokens));
                return;
            }
            reply(ctx, local.answer(ctx.alloc(), request, path, clientName));
        } finally {
            if (!forwarded) {
                ReferenceCountUtil.release(request);
            }
        }
    }

    /** Answers locally and lets the connection take the next request. */
    private static void reply(ChannelHandlerContext ctx, FullHttpResponse response) {
        ctx.writeAndFlush(response);
        ctx.pipeline().get(ClientTimeouts.class).readyForNext();
    }

    static String path(String uri) {
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
