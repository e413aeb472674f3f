package io.claudelb.server.local;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.tokens.TokenEstimator;
import io.claudelb.server.gateway.ControlPlane;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AsciiString;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * {@code POST /v1/messages/count_tokens} answered by claude-lb itself, when no target of the request's route relays
 * it: {@code {"input_tokens": N}} from {@link TokenEstimator} (cl100k_base, an estimate, not Claude's own count),
 * marked with {@code x-claude-lb-token-estimate: true} so a caller can tell.
 */
public final class TokenCountEstimates {
    public static final AsciiString ESTIMATE_HEADER = AsciiString.cached("x-claude-lb-token-estimate");

    private TokenCountEstimates() {
    }

    /** Loads the tokenizer; call once at startup, off the event loops, so no request pays for it. */
    public static void preload() {
        TokenEstimator.cl100k();
    }

    /**
     * Counts {@code body} (not released here) on the control plane, never on the event loop: tokenizing is CPU work
     * over up to {@code max_request_bytes} (32 MiB), which would hold every other connection of the loop meanwhile.
     * {@code answer} gets the response on {@code ctx}'s loop; the body must stay unchanged until then.
     */
    public static void answer(ControlPlane controlPlane, ChannelHandlerContext ctx, ByteBuf body,
            Consumer<FullHttpResponse> answer) {
        try {
            controlPlane.submit(() -> estimate(body))
                    .whenComplete((estimate, error) -> ctx.executor().execute(() -> answer.accept(error == null
                            ? response(ctx.alloc(), estimate)
                            : LocalResponses.error(ctx.alloc(), 500, "api_error", "The token estimate failed."))));
        } catch (RejectedExecutionException closed) {
            answer.accept(LocalResponses.error(ctx.alloc(), 503, "overloaded_error", "claude-lb is shutting down."));
        }
    }

    /** Tokens counted, or why the body cannot be counted. */
    private record Estimate(int tokens, String invalid) {
    }

    private static Estimate estimate(ByteBuf body) {
        try {
            return new Estimate(TokenEstimator.cl100k().estimate(body), null);
        } catch (InvalidRequestException e) {
            return new Estimate(0, e.getMessage());
        }
    }

    /** 200 with the estimate, or 400 when the body is not a JSON object. */
    private static FullHttpResponse response(ByteBufAllocator alloc, Estimate estimate) {
        if (estimate.invalid() != null) {
            return LocalResponses.error(alloc, 400, "invalid_request_error", estimate.invalid());
        }
        FullHttpResponse res = LocalResponses.json(alloc, 200, "{\"input_tokens\":" + estimate.tokens() + "}");
        res.headers().set(ESTIMATE_HEADER, "true");
        return res;
    }
}
