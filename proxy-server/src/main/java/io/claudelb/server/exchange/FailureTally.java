package io.claudelb.server.exchange;

import io.claudelb.core.health.FailureKind;

/**
 * What the failed attempts of one exchange had in common, for the answer the proxy gives when none is left
 * ({@link AllFailedAnswer}): how many failed, the last kind, and whether every one was an overload or a timeout.
 */
final class FailureTally {
    private int count;
    private boolean allOverload = true;
    private boolean allTimeout = true;
    private FailureKind last;

    void add(FailureKind kind) {
        count++;
        last = kind;
        allOverload &= kind.isOverload();
        allTimeout &= kind.isTimeout();
    }

    /** Attempts that failed (0: nothing was eligible). */
    int count() {
        return count;
    }

    /** The last failure, or null when there was none. */
    FailureKind last() {
        return last;
    }

    /** At least one attempt failed and every failure was an overload. */
    boolean allOverload() {
        return count > 0 && allOverload;
    }

    /** At least one attempt failed and every failure was a timeout. */
    boolean allTimeout() {
        return count > 0 && allTimeout;
    }
}
