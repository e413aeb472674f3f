package io.claudelb.core.health;

/**
 * The closed set of ways an upstream attempt can fail. Each kind says whether another upstream may be tried and
 * whether it counts against the upstream's breaker. What the proxy answers when no attempt is left is decided over
 * all the attempts' kinds (the server's {@code AllFailedAnswer}), with the status/error-type table of the codec's
 * {@code AnthropicErrors}: a kind carries no status or type of its own, so there is no second table to disagree.
 */
public enum FailureKind {
    CONNECT_REFUSED(true, true),
    CONNECT_TIMEOUT(true, true),
    TLS(true, true),
    RESET_BEFORE_HEADERS(true, true),
    /** No response head, or a body gap, within the configured timeout. */
    READ_TIMEOUT(true, true),
    /** No pooled connection became free within the acquire timeout (the proxy's own limit, not the upstream's). */
    POOL_EXHAUSTED(true, false),
    HTTP_408(true, true),
    HTTP_429(true, true),
    HTTP_500(true, true),
    HTTP_502(true, true),
    HTTP_503(true, true),
    HTTP_504(true, true),
    HTTP_529(true, true),
    /** 401 or 403 from the upstream: its credential is bad, not the client's. */
    UPSTREAM_AUTH(true, true),
    /** A status listed in {@code health.extra_failure_statuses}. */
    CONFIGURED_STATUS(true, true),
    /** An error body matching {@code health.failure_body_patterns}. */
    BODY_PATTERN(true, true),
    /**
     * The upstream's bytes are not HTTP, or break its limits: a malformed status line, a head larger than the
     * upstream's {@code max_header_bytes}, a bad chunk. The connection is never pooled again.
     */
    PROTOCOL_ERROR(true, true),
    /** An {@code event: error} inside a 200 stream, within the peek window. */
    IN_BAND_ERROR(true, true),
    /** The upstream failed after bytes reached the client: counted, never retried. */
    MID_STREAM(false, true);

    private final boolean retryable;
    private final boolean countsAgainstUpstream;

    FailureKind(boolean retryable, boolean countsAgainstUpstream) {
        this.retryable = retryable;
        this.countsAgainstUpstream = countsAgainstUpstream;
    }

    /** Another upstream may be tried while nothing has reached the client. */
    public boolean retryable() {
        return retryable;
    }

    /** The failure says something about the upstream's health (a pool limit of our own does not). */
    public boolean countsAgainstUpstream() {
        return countsAgainstUpstream;
    }

    /** True for failures that mean "overloaded" (all-overload exhaustion answers 529 instead of 503). */
    public boolean isOverload() {
        return this == HTTP_529 || this == IN_BAND_ERROR;
    }

    /**
     * True for failures that mean "no answer in time": the upstream was not reached, or did not answer, within its
     * timeout, or said so itself with a 504 (all-timeout exhaustion answers 504 {@code timeout_error}).
     */
    public boolean isTimeout() {
        return this == CONNECT_TIMEOUT || this == READ_TIMEOUT || this == HTTP_504;
    }
}
