package io.claudelb.server.exchange;

import io.claudelb.codec.error.AnthropicErrors;
import io.claudelb.server.http.LocalResponses;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.concurrent.TimeUnit;

/**
 * The proxy's own answer when no attempt is left: every candidate failed, or none was eligible to begin with.
 * In this order:
 * <ol>
 *   <li>no attempt was made (every candidate cooling down or open): 503 {@code overloaded_error};</li>
 *   <li>every failure was an overload (529, an in-band {@code overloaded_error}): 529 {@code overloaded_error};</li>
 *   <li>every failure was a timeout (connect or response timeout, a 504): 504 {@code timeout_error}, the status
 *       and type Anthropic answers a request that timed out with, saying the upstream did not answer in time;</li>
 *   <li>any other mix: 503 {@code api_error}. Not the table's {@code overloaded_error} for 503: the upstreams were
 *       not all overloaded, and Claude Code tells its user "overloaded" for that type.</li>
 * </ol>
 * The types come from the codec's one table ({@link AnthropicErrors#typeForStatus}) except for that last row.
 * {@code retry-after} is the soonest recovery of any candidate (at least 1 s); {@code x-should-retry: false} once
 * more than one upstream was tried, so Claude Code's own retries do not multiply the load. The message names the
 * model and the last failure kind, never an upstream address.
 */
final class AllFailedAnswer {
    private static final AsciiString SHOULD_RETRY = AsciiString.cached("x-should-retry");

    private AllFailedAnswer() {
    }

    /**
     * @param failures           the attempts that failed (none: nothing was eligible)
     * @param nanosUntilRecovery when the soonest candidate may be tried again
     */
    static FullHttpResponse build(ByteBufAllocator alloc, String model, FailureTally failures,
                                  long nanosUntilRecovery, String requestId) {
        FullHttpResponse res;
        int count = failures.count();
        String last = count == 0 ? null : BackendFailures.describe(failures.last());
        if (count == 0) {
            res = LocalResponses.error(alloc, 503, AnthropicErrors.typeForStatus(503), "No upstream is available for "
                    + "model '" + model + "': every candidate is cooling down or its circuit is open.");
        } else if (failures.allOverload()) {
            res = LocalResponses.error(alloc, 529, AnthropicErrors.typeForStatus(529), "All " + count
                    + " upstream attempt(s) for model '" + model + "' failed (last: " + last + ").");
        } else if (failures.allTimeout()) {
            res = LocalResponses.error(alloc, 504, AnthropicErrors.typeForStatus(504), "The upstream did not answer "
                    + "in time: all " + count + " upstream attempt(s) for model '" + model + "' timed out (last: "
                    + last + ").");
        } else {
            res = LocalResponses.error(alloc, 503, "api_error", "All " + count + " upstream attempt(s) for model '"
                    + model + "' failed (last: " + last + ").");
        }
        long recoverySeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosUntilRecovery + 999_999_999L));
        res.headers().set(HttpHeaderNames.RETRY_AFTER, recoverySeconds);
        if (count > 1) {
            res.headers().set(SHOULD_RETRY, "false");
        }
        res.headers().set(LocalResponses.REQUEST_ID, requestId);
        return res;
    }
}
