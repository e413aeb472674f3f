package io.claudelb.server.inbound;

import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.server.gateway.Gateway;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.local.LocalEndpoints;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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
    private final LocalAnswers answers;

    public RequestGuard(Gateway gateway, LocalEndpoints local, LocalAnswers answers) {
        this.gateway = gateway;
        this.local = local;
        this.answers = answers;
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
                write(ctx, record(request, path(request.uri()), null), LocalResponses.error(ctx.alloc(), 400,
                        "invalid_request_error", "Malformed HTTP request.")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            GatewayConfig config = gateway.snapshot().config();
            String path = path(request.uri());
            String clientName = null;
            boolean exempt = config.server().authExemptPaths().contains(path);
            if (config.requiresClientKey() && (exempt || LocalEndpoints.takesAdminOrClientKey(path))) {
                // No key needed here, but one that matches still identifies the caller: its credential is then
                // claude-lb's and never passes through to an upstream (see CallerCredential).
                clientName = ClientKeys.match(config.clients(), HeaderRules.clientCredential(request.headers()));
            } else if (config.requiresClientKey() && !LocalEndpoints.isAlwaysOpen(request.method(), path)
                    && !LocalEndpoints.checksOwnCredential(path)) {
                clientName = ClientKeys.match(config.clients(), HeaderRules.clientCredential(request.headers()));
                if (clientName == null) {
                    reply(ctx, record(request, path, null), LocalResponses.error(ctx.alloc(), 401,
                            "authentication_error",
                            "Invalid or missing API key. Send a claude-lb client key as x-api-key or "
                                    + "Authorization: Bearer."));
                    return;
                }
            }
            boolean messages = path.equals(MESSAGES);
            boolean countTokens = path.equals(COUNT_TOKENS);
            if (messages || countTokens) {
                if (!HttpMethod.POST.equals(request.method())) {
                    reply(ctx, record(request, path, clientName), LocalResponses.error(ctx.alloc(), 405,
                            "invalid_request_error",
                            "Method " + request.method() + " is not allowed on " + path + "; use POST."));
                    return;
                }
                forwarded = true;
                ctx.fireChannelRead(new ProxyRequest(request, record(request, path, clientName), countTokens));
                return;
            }
            reply(ctx, record(request, path, clientName), local.answer(ctx.alloc(), request, path, clientName,
                    fromLoopback(ctx)));
        } finally {
            if (!forwarded) {
                ReferenceCountUtil.release(request);
            }
        }
    }

    private ExchangeRecord record(FullHttpRequest request, String path, String clientName) {
        return answers.record(request.method().name(), path, clientName);
    }

    private void reply(ChannelHandlerContext ctx, ExchangeRecord record, FullHttpResponse response) {
        reply(ctx, record, CompletableFuture.completedFuture(response));
    }

    /**
     * Answers locally once the answer is ready (at once, or from the control plane's thread for work that must not
     * run on an event loop), then lets the connection take the next request. The pipelining gate holds any later
     * request until this answer is written.
     */
    private void reply(ChannelHandlerContext ctx, ExchangeRecord record, CompletionStage<FullHttpResponse> answer) {
        CompletableFuture<FullHttpResponse> future = answer.toCompletableFuture();
        if (future.isDone() && ctx.executor().inEventLoop()) {
            write(ctx, record, future.join());
        } else {
            future.whenComplete((res, failure) -> ctx.executor().execute(() -> write(ctx, record,
                    failure == null ? res : LocalResponses.error(ctx.alloc(), 500, "api_error",
                            "claude-lb could not answer this request."))));
        }
    }

    private ChannelFuture write(ChannelHandlerContext ctx, ExchangeRecord record, FullHttpResponse response) {
        ChannelFuture written = answers.write(ctx, record, response);
        ctx.pipeline().get(ClientTimeouts.class).readyForNext();
        return written;
    }

    private static boolean fromLoopback(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                && remote.getAddress().isLoopbackAddress();
    }

    static String path(String uri) {
        int q = uri.indexOf('?');
        String p = q < 0 ? uri : uri.substring(0, q);
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
