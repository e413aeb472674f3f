package io.claudelb.server.exchange;

import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.cloud.CloudFailures;

/**
 * The failure policy as pure decisions, without channels or buffers: what an attempt does with a response head,
 * with a buffered error answer, with an in-band error the peek found, and whether an upstream's own failure answer
 * may go to the client when nothing else is left (the package javadoc tells the policy in words). One per config
 * snapshot, over its {@link FailureClassifier}; immutable.
 */
final class ResponseClassifier {

    /** What to do with a (non-1xx) response head. */
    enum HeadVerdict {
        /** Send it and relay the body as it comes. */
        RELAY,
        /** A stream: hold it until its first real event, so an in-band error can still fail over. */
        PEEK,
        /** An error status: hold the (bounded) body, then judge it ({@link #judgeError}). */
        HOLD_ERROR,
        /** A successful answer the translation rewrites whole: collect it, bounded, then translate. */
        COLLECT
    }

    /** What an error answer means. */
    enum ErrorAction {
        /** The upstream refused our access token: renew it and try the same upstream once more. */
        RENEW_TOKEN,
        /** The client's own error (400, 404, 413, 422, a passthrough 401...): forward it, count nothing. */
        CLIENT_ERROR,
        /** The upstream failed: count it and fail over ({@link ErrorVerdict#kind()} says how). */
        FAILURE
    }

    /** @param kind the failure kind for {@link ErrorAction#FAILURE}, else null */
    record ErrorVerdict(ErrorAction action, FailureKind kind) {
        static final ErrorVerdict RENEW_TOKEN = new ErrorVerdict(ErrorAction.RENEW_TOKEN, null);
        static final ErrorVerdict CLIENT_ERROR = new ErrorVerdict(ErrorAction.CLIENT_ERROR, null);

        static ErrorVerdict failure(FailureKind kind) {
            return new ErrorVerdict(ErrorAction.FAILURE, kind);
        }
    }

    private final FailureClassifier failures;

    ResponseClassifier(FailureClassifier failures) {
        this.failures = failures;
    }

    /**
     * @param eventStream    the answer is {@code text/event-stream}
     * @param rewritesBodies the attempt's translation rewrites bodies (an OpenAI upstream)
     * @param peekEnabled    {@code retry.stream_peek} is on (bytes and time both above zero)
     */
    HeadVerdict head(int status, boolean eventStream, boolean rewritesBodies, boolean peekEnabled) {
        if (status >= 400) {
            return HeadVerdict.HOLD_ERROR;
        }
        if (!eventStream && rewritesBodies) {
            return HeadVerdict.COLLECT;
        }
        if (eventStream && peekEnabled) {
            return HeadVerdict.PEEK;
        }
        return HeadVerdict.RELAY;
    }

    /** Whether judging {@code status} needs the error body's first bytes (body patterns are configured). */
    boolean needsBody(int status) {
        return failures.needsBody(status);
    }

    /**
     * @param bodyPrefix       the error body's first bytes as text when {@link #needsBody} said so, else null
     * @param tokenRenewable   the attempt sent an access token that was not renewed yet in this exchange
     * @param passthroughAuth  the upstream takes the caller's own credential
     */
    ErrorVerdict judgeError(int status, String bodyPrefix, boolean tokenRenewable, boolean passthroughAuth) {
        if (status == 401 && tokenRenewable) {
            return ErrorVerdict.RENEW_TOKEN;
        }
        FailureKind kind = failures.classify(status, bodyPrefix);
        if (kind == FailureKind.UPSTREAM_AUTH && passthroughAuth) {
            // The credential the upstream refused is the client's own: the client must hear it, it is no failure.
            kind = null;
        }
        return kind == null ? ErrorVerdict.CLIENT_ERROR : ErrorVerdict.failure(kind);
    }

    /** The failure an in-band {@code event: error} in the peek window stands for. */
    FailureKind inBandError(String errorType) {
        return "rate_limit_error".equals(errorType) ? FailureKind.HTTP_429 : FailureKind.IN_BAND_ERROR;
    }

    /**
     * The failure a stream exception before the first byte stands for (a Bedrock exception frame: throttling is a
     * 429, an unavailable service a 503, ...), or null when it is the client's error (a validation exception).
     */
    FailureKind streamException(BedrockStreamException exception) {
        return CloudFailures.bedrockStream(failures, exception);
    }

    /**
     * Whether the upstream's own failure answer goes to the client when no other attempt is left: only for the
     * exchange's first (counted) attempt, whose status, retry-after and message are then the most useful reply;
     * never a 401/403 about claude-lb's credential, which would tell the client its own key is bad.
     */
    boolean forwardsOwnAnswer(FailureKind kind, int countedAttempts) {
        return countedAttempts == 1 && kind != FailureKind.UPSTREAM_AUTH;
    }
}
