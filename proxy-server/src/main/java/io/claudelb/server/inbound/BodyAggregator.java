package io.claudelb.server.inbound;

import io.claudelb.server.http.LocalResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import java.util.function.LongSupplier;

/**
 * {@code body-aggregator}: requests are small next to responses (a Claude Code turn is ~50 KB, the API's own cap is
 * 32 MB), so the request body is aggregated to be inspected and kept for a failover resend. Above
 * {@code max_request_bytes} the client gets an Anthropic-shaped 413 {@code request_too_large} and the connection
 * closes (the rest of the oversized body is not worth reading).
 *
 * <p>Netty fixes an aggregator's limit when it is made, so one {@link #following} the config checks the current
 * {@code max_request_bytes} as each request begins and, when a reload changed it, hands the request to a fresh
 * aggregator put in its place (between requests an aggregator holds nothing): every request is judged by the limit
 * in force when it arrived, on a kept-alive connection too.
 */
public final class BodyAggregator extends HttpObjectAggregator {
    private final long maxBytes;
    private final LongSupplier currentMax;
    private final LocalAnswers answers;

    /** With a fixed limit. */
    public BodyAggregator(long maxBytes, LocalAnswers answers) {
        this(maxBytes, () -> maxBytes, answers);
    }

    private BodyAggregator(long maxBytes, LongSupplier currentMax, LocalAnswers answers) {
        super((int) Math.min(Integer.MAX_VALUE, maxBytes), true);
        this.maxBytes = maxBytes;
        this.currentMax = currentMax;
        this.answers = answers;
    }

    /** An aggregator whose limit follows {@code currentMax} (the current {@code server.max_request_bytes}). */
    public static BodyAggregator following(LongSupplier currentMax, LocalAnswers answers) {
        return new BodyAggregator(currentMax.getAsLong(), currentMax, answers);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest) {
            long max = currentMax.getAsLong();
            if (max != maxBytes) {
                // replace() links this context to the new one, so the request fired from here reaches it.
                ctx.pipeline().replace(this, ctx.name(), new BodyAggregator(max, currentMax, answers));
                ctx.fireChannelRead(msg);
                return;
            }
        }
        super.channelRead(ctx, msg);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        String method = LocalAnswers.UNKNOWN;
        String path = LocalAnswers.UNKNOWN;
        if (oversized instanceof HttpRequest request) {
            method = request.method().name();
            path = RequestGuard.path(request.uri());
        }
        answers.write(ctx, answers.record(method, path, null), LocalResponses.error(ctx.alloc(), 413,
                "request_too_large", "Request exceeds the maximum allowed size of " + maxBytes + " bytes."))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
