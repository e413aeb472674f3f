package io.claudelb.server.exchange;

import io.claudelb.core.health.FailureKind;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's own answer when no attempt is left: every candidate failed, or none was eligible to begin with.
 * 529 {@code overloaded_error} when every failure was an overload, else 503; {@code retry-after} is the soonest
 * recovery of any candidate (at least 1 s); {@code x-should-retry: false} once more than one upstream was tried, so
 * Claude Code's own retries do not multiply the load. The message names the model and the last failure kind,
 * never an upstream address.
 */
final class AllFailedAnswer {
    private static final AsciiString SHOULD_RETRY = AsciiString.cached("x-should-retry");

    private AllFailedAnswer() {
    }

    /**
     * @param failures           attempts that failed (0: nothing was eligible)
     * @param allOverload        every failure was an overload
     * @param lastFailure        the last failure, or null when there was none
     * @param nanosUntilRecovery when the soonest candidate may be tried again
     */
    static FullHttpResponse build(ByteBufAllocator alloc, String model, int failures, boolean allOverload,
                                  FailureKind lastFailure, long nanosUntilRecovery, String requestId) {
        FullHttpResponse res;
        if (failures == 0) {
            res = LocalResponses.error(alloc, 503, "overloaded_error", "No upstream is available for model '" + model
                    + "': every candidate is cooling down or its circuit is open.");
        } else {
            res = LocalResponses.error(alloc, allOverload ? 529 : 503, allOverload ? "overloaded_error" : "api_error",
                    "All " + failures + " upstream attempt(s) for model '" + model + "' failed (last: "
                            + BackendFailures.describe(lastFailure) + ").");
        }
        long recoverySeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosUntilRecovery + 999_999_999L));
        res.headers().set(HttpHeaderNames.RETRY_AFTER, recoverySeconds);
        if (failures > 1) {
            res.headers().set(SHOULD_RETRY, "false");
        }
        res.headers().set(LocalResponses.REQUEST_ID, requestId);
        return res;
    }
}
