package io.claudelb.server.inbound;

import io.claudelb.server.http.LocalResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * {@code body-aggregator}: requests are small next to responses (a Claude Code turn is ~50 KB, the API's own cap is
 * 32 MB), so the request body is aggregated to be inspected and kept for a failover resend. Above
 * {@code max_request_bytes} the client gets an Anthropic-shaped 413 {@code request_too_large} and the connection
 * closes (the rest of the oversized body is not worth reading).
 */
public final class BodyAggregator extends HttpObjectAggregator {
    private final long maxBytes;
    private final LocalAnswers answers;

    public BodyAggregator(long maxBytes, LocalAnswers answers) {
        super((int) Math.min(Integer.MAX_VALUE, maxBytes), true);
        this.maxBytes = maxBytes;
        this.answers = answers;
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
