package io.claudelb.server.local;

import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.tokens.TokenEstimator;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.AsciiString;

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

    /** The estimate for a request body (not released here), or 400 when it is not a JSON object. */
    public static FullHttpResponse answer(ByteBufAllocator alloc, ByteBuf body) {
        int tokens;
        try {
            tokens = TokenEstimator.cl100k().estimate(body);
        } catch (InvalidRequestException e) {
            return LocalResponses.error(alloc, 400, "invalid_request_error", e.getMessage());
        }
        FullHttpResponse res = LocalResponses.json(alloc, 200, "{\"input_tokens\":" + tokens + "}");
        res.headers().set(ESTIMATE_HEADER, "true");
        return res;
    }
}
