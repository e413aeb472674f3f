package io.claudelb.server.inbound;

import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.observe.ExchangeRecord;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.function.LongSupplier;

/**
 * {@code body-aggregator}: requests are small next to responses (a Claude Code turn is ~50 KB, the API's own cap is
 * 32 MB), so the request body is aggregated to be inspected and kept for a failover resend. Above
 * {@code max_request_bytes} the client gets an Anthropic-shaped 413 {@code request_too_large} and the connection
 * closes (the rest of the oversized body is not worth reading).
 *
 * <p>{@code Expect: 100-continue} (curl sends it by itself for bodies over 1 MiB) changes nothing in that answer:
 * Netty would answer an announced oversized body with its own bare 413, so here such a request takes the path of
 * the same body without {@code Expect} (its {@code content-length} is over the cap: {@link #handleOversizedMessage}),
 * one code path for both. A body within the cap gets Netty's {@code 100 Continue}, and {@code Expect} is not passed
 * on. Any other expectation gets an Anthropic-shaped 417 instead of Netty's bare one; as in Netty, the body is then
 * not read and the connection closes. Each of these answers is written only when the request's turn has come: the
 * pipelining gate sits before this handler.
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
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        if (expectsOtherThanContinue(start)) {
            // Netty writes this, then skips the body and closes (closeOnExpectationFailed).
            return answers.answered(record(start), LocalResponses.error(pipeline.channel().alloc(), 417,
                    "The only expectation claude-lb meets is Expect: 100-continue."));
        }
        if (HttpUtil.is100ContinueExpected(start) && HttpUtil.getContentLength(start, -1L) > maxContentLength) {
            // No interim answer: the content-length check that follows sends it to handleOversizedMessage.
            start.headers().remove(HttpHeaderNames.EXPECT);
            return null;
        }
        return super.newContinueResponse(start, maxContentLength, pipeline);
    }

    /** An {@code Expect} header Netty's {@code HttpUtil} calls unsupported (its check is not public). */
    private static boolean expectsOtherThanContinue(HttpMessage start) {
        String expect = start.headers().get(HttpHeaderNames.EXPECT);
        return expect != null && start instanceof HttpRequest
                && start.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0
                && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        answers.write(ctx, record(oversized), LocalResponses.error(ctx.alloc(), 413,
                "request_too_large", "Request exceeds the maximum allowed size of " + maxBytes + " bytes."))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private ExchangeRecord record(HttpMessage message) {
        if (message instanceof HttpRequest request) {
            return answers.record(request.method().name(), RequestGuard.path(request.uri()), null);
        }
        return answers.record(LocalAnswers.UNKNOWN, LocalAnswers.UNKNOWN, null);
    }
}
