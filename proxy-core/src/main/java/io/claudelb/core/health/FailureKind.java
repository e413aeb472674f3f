package io.claudelb.core.health;

/**
 * The closed set of ways an upstream attempt can fail. Each kind says which status and Anthropic error type the
 * proxy answers with when it has to report it itself, whether another upstream may be tried, and whether it counts
 * against the upstream's breaker.
 */
public enum FailureKind {
    CONNECT_REFUSED(502, "api_error", true, true),
    CONNECT_TIMEOUT(504, "api_error", true, true),
    TLS(502, "api_error", true, true),
    RESET_BEFORE_HEADERS(502, "api_error", true, true),
    /** No response head, or a body gap, within the configured timeout. */
    READ_TIMEOUT(504, "api_error", true, true),
    /** No pooled connection became free within the acquire timeout (the proxy's own limit, not the upstream's). */
    POOL_EXHAUSTED(503, "overloaded_error", true, false),
    HTTP_408(408, "api_error", true, true),
    HTTP_429(429, "rate_limit_error", true, true),
    HTTP_500(500, "api_error", true, true),
    HTTP_502(502, "api_error", true, true),
    HTTP_503(503, "overloaded_error", true, true),
    HTTP_504(504, "api_error", true, true),
    HTTP_529(529, "overloaded_error", true, true),
    /** 401 or 403 from the upstream: its credential is bad, not the client's. */
    UPSTREAM_AUTH(502, "api_error", true, true),
    /** A status listed in {@code health.extra_failure_statuses}. */
    CONFIGURED_STATUS(502, "api_error", true, true),
    /** An error body matching {@code health.failure_body_patterns}. */
    BODY_PATTERN(502, "api_error", true, true),
    /**
     * The upstream's bytes are not HTTP, or break its limits: a malformed status line, a head larger than the
     * upstream's {@code max_header_bytes}, a bad chunk. The connection is never pooled again.
     */
    PROTOCOL_ERROR(502, "api_error", true, true),
    /** An {@code event: error} inside a 200 stream, within the peek window. */
    IN_BAND_ERROR(529, "overloaded_error", true, true),
    /** The upstream failed after bytes reached the client: counted, never retried. */
    MID_STREAM(502, "api_error", false, true);

    private final int status;
    private final String errorType;
    private final boolean retryable;
    private final boolean countsAgainstUpstream;

    FailureKind(int status, String errorType, boolean retryable, boolean countsAgainstUpstream) {
        this.status = status;
        this.errorType = errorType;
        this.retryable = retryable;
        this.countsAgainstUpstream = countsAgainstUpstream;
    }

    /** Status the proxy answers with when this is the failure it reports. */
    public int status() {
        return status;
    }

    /** Anthropic error type for {@link #status()}. */
    public String errorType() {
        return errorType;
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
}
