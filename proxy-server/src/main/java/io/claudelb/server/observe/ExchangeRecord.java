package io.claudelb.server.observe;

import io.claudelb.codec.usage.Usage;
import io.claudelb.core.health.FailureKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The facts of one request gathered while it runs, on its event loop, and turned into its {@link ExchangeEvent}
 * when it ends ({@link #toEvent}). Local answers fill the first few fields only; relayed ones add attempts,
 * timings and usage as they happen. Never holds a secret or a prompt: names, numbers and model strings only.
 */
public final class ExchangeRecord {
    private final String requestId;
    private final long startNanos;
    private final long startEpochMillis;
    private final String method;
    private final String path;
    private final String clientName;
    private final List<AttemptRecord> attempts = new ArrayList<>(2);
    private String sessionId;
    private String requestedModel;
    private boolean stream;
    private boolean countTokens;
    private String attemptUpstream;
    private String attemptModel;
    private int status;
    private long ttfbNanos = -1;
    private long upstreamWaitNanos;
    private long bytes;
    private Outcome outcome = Outcome.COMPLETED;
    private boolean answeredLocally;
    private String inBandErrorType;
    private UsageCounts usage;
    private CoalescingRole role = CoalescingRole.OFF;

    /**
     * @param startNanos       monotonic time the request was complete (the clock timings are taken on)
     * @param startEpochMillis wall-clock time of the same moment
     * @param clientName       the client key's name, or null
     */
    public ExchangeRecord(String requestId, long startNanos, long startEpochMillis, String method, String path,
                          String clientName) {
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.method = method;
        this.path = path;
        this.clientName = clientName;
    }

    /** What the body asked for. */
    public void request(String model, boolean isStream, boolean isCountTokens) {
        this.requestedModel = model;
        this.stream = isStream;
        this.countTokens = isCountTokens;
    }

    public void session(String id) {
        this.sessionId = id;
    }

    /** An attempt on {@code upstream} begins; {@code targetModel} null means the requested model is sent. */
    public void attemptStarted(String upstream, String targetModel) {
        closeAttempt(null);
        attemptUpstream = upstream;
        attemptModel = targetModel == null ? requestedModel : targetModel;
    }

    /** The running attempt failed with {@code kind}. */
    public void attemptFailed(FailureKind kind) {
        closeAttempt(kind);
    }

    /** Time the running attempt spent waiting on its upstream, from sending the request to the verdict. */
    public void upstreamWait(long nanos) {
        upstreamWaitNanos += Math.max(0, nanos);
    }

    /** The answer's head is on its way to the client with {@code code}, {@code sinceStartNanos} after receipt. */
    public void answered(int code, long sinceStartNanos) {
        this.status = code;
        if (ttfbNanos < 0) {
            ttfbNanos = sinceStartNanos;
        }
    }

    /** claude-lb wrote the answer itself. */
    public void answeredLocally(int code, long sinceStartNanos) {
        answered(code, sinceStartNanos);
        answeredLocally = true;
    }

    public void outcome(Outcome how) {
        this.outcome = how;
    }

    public void inBandError(String errorType) {
        this.inBandErrorType = errorType;
    }

    public void bytes(long count) {
        bytes = count;
    }

    public void usage(Usage u) {
        usage = UsageCounts.of(u);
    }

    public void usage(UsageCounts counts) {
        usage = counts;
    }

    public void role(CoalescingRole r) {
        role = r;
    }

    public String requestId() {
        return requestId;
    }

    public long startNanos() {
        return startNanos;
    }

    public String clientName() {
        return clientName;
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * A record for the upstream call a coalescing leader makes on behalf of everyone who asks the same: the
     * leader's id, times and names; its attempts, timings and usage are the call's own.
     */
    public ExchangeRecord forCall() {
        ExchangeRecord call = new ExchangeRecord(requestId, startNanos, startEpochMillis, method, path, clientName);
        call.sessionId = sessionId;
        call.requestedModel = requestedModel;
        call.stream = stream;
        call.countTokens = countTokens;
        return call;
    }

    /**
     * Takes what an upstream call found out (its attempts, the time it waited on upstreams, usage, an in-band error)
     * for this request, which was answered from that call: the request's own status, timings, bytes and outcome stay.
     */
    public void adopt(ExchangeEvent call) {
        closeAttempt(null);
        attempts.clear();
        attempts.addAll(call.attempts());
        upstreamWaitNanos = call.upstreamWaitNanos();
        usage = call.usage();
        inBandErrorType = call.inBandErrorType();
    }

    /** The request as it ended, {@code nowNanos} on the record's clock. */
    public ExchangeEvent toEvent(long nowNanos) {
        closeAttempt(null);
        return new ExchangeEvent(requestId, startEpochMillis, method, path, clientName, sessionId, requestedModel,
                stream, countTokens, attempts, status, outcome, answeredLocally, inBandErrorType, ttfbNanos,
                nowNanos - startNanos, upstreamWaitNanos, bytes, usage, role);
    }

    private void closeAttempt(FailureKind failure) {
        if (attemptUpstream != null) {
            attempts.add(new AttemptRecord(attemptUpstream, attemptModel, failure));
            attemptUpstream = null;
            attemptModel = null;
        }
    }
}
