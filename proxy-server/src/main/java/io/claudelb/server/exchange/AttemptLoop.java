package io.claudelb.server.exchange;

import io.claudelb.codec.cloud.InvocationMetrics;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.core.balance.Balancer;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.server.auth.AccessToken;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.claudelb.server.gateway.ExchangeServices;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import io.claudelb.server.routing.RoutedRequest;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.HashSet;
import java.util.Set;

/**
 * The failover loop of one routed request (steps 4-11 of architecture.md's "path of one streaming request"): which
 * upstream next, how many tries ({@code retry.max_attempts}), and the answer when none is left. Each try is an
 * {@link Attempt}; the loop hears how it went and decides: another upstream while nothing has reached the client,
 * the upstream's own failure answer when it was the only try, or claude-lb's all-failed answer
 * ({@link AllFailedAnswer}). The answer goes to a {@link ResponseSink}; when the exchange is over, the observers
 * get its {@link io.claudelb.server.observe.ExchangeEvent}.
 *
 * <p>A token-renewal retry (an upstream 401 on an OAuth access token, answered once per exchange by renewing the
 * token and trying the same upstream again) does not count towards {@code max_attempts}.
 *
 * <p>Ownership: the loop holds the client request until it ends; each attempt writes its own retained rewrite of
 * the body. Lives on the client's event loop; every method runs there.
 */
public final class AttemptLoop implements RunningExchange {
    private final ExchangeServices services;
    private final ConfigSnapshot snapshot;
    private final ResponseClassifier classifier;
    private final FullHttpRequest request;
    private final RoutedRequest routed;
    private final ExchangeRecord record;
    private final ResponseSink sink;
    private final EventLoop eventLoop;
    private final ExchangeTimer timer;
    private final long writeStallNanos;
    private final ExchangeObserver ended;
    private final Set<String> tried = new HashSet<>(4);
    private final FailureTally failures = new FailureTally();
    private Attempt current;
    private int attempts;
    private int authRetries;
    private boolean done;

    /**
     * @param request the client's request; the loop owns it from {@link #start()} on
     * @param sink    where the answer goes
     * @param ended   told the exchange's event once it is over: the observers, or a coalesced call that gives
     *                each of its callers its own
     */
    public AttemptLoop(ExchangeServices services, ConfigSnapshot snapshot, FullHttpRequest request,
                       RoutedRequest routed, ExchangeRecord record, ResponseSink sink, EventLoop eventLoop,
                       ExchangeObserver ended) {
        this.services = services;
        this.snapshot = snapshot;
        this.classifier = new ResponseClassifier(snapshot.classifier());
        this.request = request;
        this.routed = routed;
        this.record = record;
        this.sink = sink;
        this.eventLoop = eventLoop;
        this.timer = new ExchangeTimer(eventLoop, this::onTimer);
        this.writeStallNanos = snapshot.config().server().writeStallTimeout().toNanos();
        this.ended = ended;
    }

    /** Starts the first attempt, or answers at once when no candidate is eligible. */
    public void start() {
        Target first = balancer().select(routed.decision(), routed.selection(), tried);
        if (first == null) {
            exhausted();
        } else {
            startAttempt(first, null);
        }
    }

    private void startAttempt(Target target, AccessToken rejectedToken) {
        attempts++;
        tried.add(target.name());
        record.attemptStarted(target.name(), target.model());
        current = new Attempt(this, target, rejectedToken);
        current.start();
    }

    // ---- what attempts report -------------------------------------------------------------------------------

    /**
     * The attempt failed while nothing had reached the client: try the next eligible upstream, or answer for all
     * of them.
     *
     * @param retryAfterNanos the cooldown the upstream asked for, or 0
     * @param reusable        the attempt's connection may be pooled (its response was read completely)
     * @param holdsAnswer     the attempt holds the upstream's whole failure answer (an error body, or the exception
     *                        frame that failed a stream before its first byte), which may be forwarded
     */
    void failed(Attempt attempt, FailureKind kind, long retryAfterNanos, boolean reusable, boolean holdsAnswer) {
        if (attempt != current || done) {
            return;
        }
        attempt.verdictReached();
        Target next = nextTarget(kind);
        record.attemptFailed(kind);
        balancer().onFailure(attempt.target(), kind, retryAfterNanos);
        if (next == null && holdsAnswer && classifier.forwardsOwnAnswer(kind, countedAttempts())) {
            // The only attempt: the upstream's own answer (status, retry-after, message) is the most useful reply.
            attempt.forwardHeldError();
            return;
        }
        failures.add(kind);
        attempt.retire(reusable);
        if (next != null) {
            startAttempt(next, null);
        } else {
            exhausted();
        }
    }

    /** The upstream refused the attempt's access token: the same upstream once more, with a renewed token. */
    void renewToken(Attempt attempt, AccessToken refused) {
        if (attempt != current || done) {
            return;
        }
        authRetries++;
        startAttempt(attempt.target(), refused);
    }

    /** Whether an access token refused by an upstream may still be renewed in this exchange (once). */
    boolean tokenRenewable() {
        return authRetries == 0;
    }

    /** The attempt's answer is complete (or cut and closed off) and the attempt retired: the exchange is over. */
    void attemptEnded(Attempt attempt) {
        if (attempt != current || done) {
            return;
        }
        StreamRelay relay = attempt.relay();
        InvocationMetrics metrics = attempt.metrics();
        if (metrics != null) {
            // The upstream's own count (Bedrock) is what it bills; the events' cache-write split is kept.
            record.usage(UsageCounts.of(metrics, relay != null && relay.usage() != null ? relay.usage().usage()
                    : null));
        } else if (relay != null && relay.usage() != null) {
            record.usage(relay.usage().usage());
            if (relay.usage().errorType() != null) {
                record.inBandError(relay.usage().errorType());
            }
        } else if (relay != null && relay.jsonUsage() != null) {
            record.usage(relay.jsonUsage());
        } else if (attempt.wholeUsage() != null) {
            record.usage(attempt.wholeUsage());
        }
        end(attempt.bytes());
    }

    /** The answer's head is on its way to the client. */
    void answered(int status) {
        record.answered(status, services.clock().nanoTime() - record.startNanos());
    }

    /** claude-lb answers for the running attempt (already retired): the request or the answer cannot be used. */
    void answerLocally(int status, String type, String message) {
        if (done) {
            return;
        }
        timer.disarm();
        FullHttpResponse res = LocalResponses.error(sink.alloc(), status, type, message);
        res.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        record.answeredLocally(status, services.clock().nanoTime() - record.startNanos());
        sink.whole(res);
        end(0);
    }

    // ---- what the consumer of the answer does ---------------------------------------------------------------

    /** The answer's consumer went away (the client closed): the running attempt ends without a verdict. */
    @Override
    public void cancel() {
        if (done) {
            return;
        }
        record.outcome(Outcome.CLIENT_ABORTED);
        Attempt attempt = current;
        if (attempt != null) {
            attempt.cancel();
        }
        end(attempt == null ? 0 : attempt.bytes());
    }

    /**
     * The shutdown grace is over: a stream that is still relaying ends with an error event; a request still waiting
     * for an upstream gets claude-lb's 503.
     */
    @Override
    public void shutDown() {
        if (done) {
            return;
        }
        Attempt attempt = current;
        if (attempt != null && attempt.shutDown()) {
            return;
        }
        record.outcome(Outcome.CUT_BY_SHUTDOWN);
        FullHttpResponse res = LocalResponses.error(sink.alloc(), 503, "overloaded_error",
                "claude-lb is shutting down; retry the request.");
        res.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        record.answeredLocally(503, services.clock().nanoTime() - record.startNanos());
        sink.whole(res);
        end(0);
    }

    // ---- endings --------------------------------------------------------------------------------------------

    private Target nextTarget(FailureKind kind) {
        if (!kind.retryable() || countedAttempts() >= snapshot.config().retry().maxAttempts()) {
            return null;
        }
        return balancer().select(routed.decision(), routed.selection(), tried);
    }

    /** Attempts that count towards {@code retry.max_attempts} (a token-renewal retry does not). */
    private int countedAttempts() {
        return attempts - authRetries;
    }

    /** Every candidate failed or none was eligible: answer for all of them ({@link AllFailedAnswer}). */
    private void exhausted() {
        timer.disarm();
        RouteDecision decision = routed.decision();
        FullHttpResponse res = AllFailedAnswer.build(sink.alloc(), decision.requestedModel(), failures,
                balancer().nanosUntilRecovery(decision), record.requestId());
        record.answeredLocally(res.status().code(), services.clock().nanoTime() - record.startNanos());
        sink.whole(res);
        end(0);
    }

    private void end(long bytes) {
        if (done) {
            return;
        }
        done = true;
        timer.remove();
        ReferenceCountUtil.release(request);
        record.bytes(bytes);
        ended.exchangeEnded(record.toEvent(services.clock().nanoTime()));
    }

    private void onTimer() {
        if (!done && current != null) {
            current.onTimer();
        }
    }

    // ---- for attempts ---------------------------------------------------------------------------------------

    AttemptRequest buildRequest(Target target, AttemptRequest.Credential credential, ByteBufAllocator backendAlloc)
            throws InvalidRequestException {
        return AttemptRequest.build(request, routed.info(), target, routed.caller(), credential,
                routed.countTokens(), record.requestId(), backendAlloc, sink.alloc());
    }

    ExchangeServices services() {
        return services;
    }

    ConfigSnapshot snapshot() {
        return snapshot;
    }

    ResponseClassifier classifier() {
        return classifier;
    }

    ExchangeRecord record() {
        return record;
    }

    ResponseSink sink() {
        return sink;
    }

    EventLoop eventLoop() {
        return eventLoop;
    }

    ExchangeTimer timer() {
        return timer;
    }

    /** A {@code count_tokens} request (its answer carries no usage to account). */
    boolean countsTokens() {
        return routed.countTokens();
    }

    long writeStallNanos() {
        return writeStallNanos;
    }

    private Balancer balancer() {
        return snapshot.balancer();
    }

    /** Whether the exchange is over. */
    public boolean isDone() {
        return done;
    }
}
