package io.claudelb.server.exchange;

import io.claudelb.codec.cloud.BedrockStreamException;
import io.claudelb.codec.cloud.InvocationMetrics;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.openai.TranslationException;
import io.claudelb.codec.usage.JsonUsageTap;
import io.claudelb.codec.usage.Usage;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.RetrySettings;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.RetryAfter;
import io.claudelb.core.route.Target;
import io.claudelb.server.auth.AccessToken;
import io.claudelb.server.auth.TokenSource;
import io.claudelb.server.auth.UpstreamAwsCredentials.AwsSigning;
import io.claudelb.server.backend.BackendPool;
import io.claudelb.server.backend.BackendReceiver;
import io.claudelb.server.exchange.ResponseClassifier.ErrorVerdict;
import io.claudelb.server.exchange.ResponseClassifier.HeadVerdict;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.List;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Steps 5-8 of the request path for one upstream: one try of an {@link AttemptLoop}. It obtains the upstream's
 * credential (an OAuth or Google access token, or AWS credentials for SigV4, each waited for without blocking: they
 * are resolved off the event loops and the attempt goes on when they are ready), acquires a connection from this event loop's
 * pool, writes the request in the upstream's dialect ({@link AttemptRequest}), and reads the response head. The
 * {@link ResponseClassifier} says what the head means: relay it, peek at the stream's first events, hold an error
 * body to judge, or collect an answer to translate. A failure before anything reached the client goes back to the
 * loop, which tries the next upstream; a committed answer is relayed by a {@link StreamRelay}. Every path ends in
 * {@link #retire}, which gives the connection back (to the pool only when its response was read completely).
 *
 * <p>The attempt is its connection's {@link BackendReceiver.Listener} while it runs; a retired attempt ignores
 * whatever still arrives. It owns held response chunks (peek, error body, collected answer) and releases them on
 * every path that does not write them. Lives on the client's event loop, like everything it touches.
 */
final class Attempt implements BackendReceiver.Listener, StreamRelay.Owner {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** How much of an error body the configured body patterns are matched against. */
    private static final int ERROR_PREFIX = 4096;
    /** Bound on a successful answer collected for translation (the one place a response is aggregated). */
    private static final int MAX_TRANSLATED_BODY = 32 * 1024 * 1024;

    /** Where the attempt is in its life. */
    enum Step { CREDENTIAL, CONNECTING, AWAITING_HEAD, HOLDING, RELAYING, RETIRED }

    private final AttemptLoop loop;
    private final Target target;
    private final AccessToken rejectedToken;
    private final long startNanos;
    private BackendPool pool;
    private Step step = Step.CREDENTIAL;
    private AccessToken accessToken;
    /** The upstream's SigV4 credentials and signer, or null when it is not signed. */
    private AwsSigning awsSigning;
    private AwsCredentialsIdentity awsCredentials;
    private Channel backend;
    private long sentNanos = -1;
    /**
     * When the last read batch before the relay ended, for the idle check while a head is held: the clock is read
     * once per batch, not per decoded chunk (clock reads were 2-3 % of a relayed stream's CPU on this VM).
     */
    private long lastReadNanos;
    private HttpResponse head;
    private boolean eventStream;
    /** What a {@link Step#HOLDING} attempt holds the response for. */
    private HeadVerdict holding;
    private ResponseTranslation translation = ResponseTranslation.IDENTITY;
    private BoundedBody held;
    private PeekWindow peek;
    private StreamRelay relay;
    private long wholeBytes;
    /** Usage of a translated answer written whole, or null. */
    private Usage wholeUsage;

    /**
     * @param rejectedToken the access token the upstream refused on the previous attempt (renew it), or null
     */
    Attempt(AttemptLoop loop, Target target, AccessToken rejectedToken) {
        this.loop = loop;
        this.target = target;
        this.rejectedToken = rejectedToken;
        this.startNanos = loop.services().clock().nanoTime();
    }

    Target target() {
        return target;
    }

    // ---- credential, connection, request --------------------------------------------------------------------

    void start() {
        loop.snapshot().balancer().onStart(target);
        pool = loop.services().pools().pool(loop.eventLoop(), target.upstream());
        EventLoop eventLoop = loop.eventLoop();
        awsSigning = loop.services().aws().signing(target.upstream());
        if (awsSigning != null) {
            // SigV4: the signature is made when the request is built, with credentials resolved off the loop.
            Future<AwsCredentialsIdentity> creds = awsSigning.credentials().credentials(eventLoop);
            whenDone(creds, () -> onAwsCredentials(creds));
            return;
        }
        TokenSource tokens = loop.services().tokens().source(target.upstream());
        if (tokens == null) {
            acquire();
            return;
        }
        Future<AccessToken> token = rejectedToken != null ? tokens.renew(eventLoop, rejectedToken)
                : tokens.token(eventLoop);
        whenDone(token, () -> onToken(token));
    }

    /** Runs {@code then} now when {@code future} is done (the fast path), else when it completes, on this loop. */
    private static void whenDone(Future<?> future, Runnable then) {
        if (future.isDone()) {
            then.run();
        } else {
            future.addListener(f -> then.run());
        }
    }

    private void onToken(Future<AccessToken> token) {
        if (step != Step.CREDENTIAL) {
            return;
        }
        if (!token.isSuccess()) {
            // The credential could not be obtained: the upstream cannot be used now (the source logged why).
            loop.failed(this, FailureKind.UPSTREAM_AUTH, 0, false, false);
            return;
        }
        accessToken = token.getNow();
        acquire();
    }

    private void onAwsCredentials(Future<AwsCredentialsIdentity> creds) {
        if (step != Step.CREDENTIAL) {
            return;
        }
        if (!creds.isSuccess()) {
            // The provider chain found nothing usable (the source logged why, without the keys).
            loop.failed(this, FailureKind.UPSTREAM_AUTH, 0, false, false);
            return;
        }
        awsCredentials = creds.getNow();
        acquire();
    }

    private void acquire() {
        step = Step.CONNECTING;
        Future<Channel> acquired = pool.acquire();
        if (acquired.isDone()) {
            onAcquired(acquired);
        } else {
            acquired.addListener(f -> onAcquired(acquired));
        }
    }

    private void onAcquired(Future<Channel> acquired) {
        if (step != Step.CONNECTING) {
            if (acquired.isSuccess()) {
                pool.release(acquired.getNow(), true);
            }
            return;
        }
        if (!acquired.isSuccess()) {
            loop.failed(this, BackendFailures.classify(acquired.cause()), 0, false, false);
            return;
        }
        backend = acquired.getNow();
        send();
    }

    private void send() {
        AttemptRequest request;
        try {
            request = loop.buildRequest(target, new AttemptRequest.Credential(
                    accessToken == null ? null : accessToken.value(), awsCredentials, awsSigning), backend.alloc());
        } catch (TranslationException | InvalidRequestException e) {
            // The client's request, not the upstream: no other upstream of this kind would take it either.
            retire(true);
            loop.answerLocally(400, "invalid_request_error", e.getMessage());
            return;
        }
        translation = request.translation();
        BackendReceiver.of(backend).attach(this);
        step = Step.AWAITING_HEAD;
        sentNanos = loop.services().clock().nanoTime();
        backend.write(request.head(), backend.voidPromise());
        backend.writeAndFlush(new DefaultLastHttpContent(request.body()), backend.voidPromise());
        backend.read();
        loop.timer().arm(target.upstream().timeouts().firstByte().toNanos());
    }

    // ---- what the connection reads --------------------------------------------------------------------------

    @Override
    public void onRead(Object msg) {
        if (!(msg instanceof HttpObject object) || step.compareTo(Step.AWAITING_HEAD) < 0 || step == Step.RETIRED) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (object.decoderResult().isFailure()) {
            // Not HTTP, or over the decoder's limits: the decoder is dead, and so is the connection.
            ReferenceCountUtil.release(msg);
            protocolError();
            return;
        }
        if (msg instanceof HttpResponse res) {
            onHead(res);
        }
        if (msg instanceof HttpContent content) {
            onContent(content);
        }
    }

    private void protocolError() {
        if (step == Step.RELAYING) {
            relay.fail(FailureKind.PROTOCOL_ERROR);
        } else {
            loop.failed(this, FailureKind.PROTOCOL_ERROR, 0, false, false);
        }
    }

    private void onHead(HttpResponse res) {
        if (step != Step.AWAITING_HEAD || res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return;
        }
        loop.timer().disarm();
        head = res;
        // Asked first and always: the translation remembers whether it translates this answer's bytes.
        boolean translated = translation.translatesStream(res);
        eventStream = translated || ClientHeads.isEventStream(res);
        RetrySettings retry = loop.snapshot().config().retry();
        boolean peekEnabled = retry.peekMaxBytes() > 0 && !retry.peekMaxWait().isZero();
        holding = loop.classifier().head(res.status().code(), eventStream, translation.rewritesBodies(),
                peekEnabled);
        switch (holding) {
            case RELAY -> {
                commit();
                return;
            }
            case HOLD_ERROR -> held = new BoundedBody(backend.alloc(), MAX_ERROR_BODY);
            case COLLECT -> held = new BoundedBody(backend.alloc(), MAX_TRANSLATED_BODY);
            case PEEK -> peek = new PeekWindow(retry.peekMaxBytes());
            default -> throw new IllegalStateException(holding.toString());
        }
        step = Step.HOLDING;
        loop.timer().arm(holding == HeadVerdict.PEEK ? retry.peekMaxWait().toNanos() : idleNanos());
    }

    private void onContent(HttpContent content) {
        if (step == Step.RELAYING) {
            relay.relay(translation.content(content));
            return;
        }
        if (step != Step.HOLDING) {
            content.release();
            return;
        }
        switch (holding) {
            case HOLD_ERROR -> holdError(content);
            case COLLECT -> collect(content);
            case PEEK -> peekAt(translation.content(content));
            default -> throw new IllegalStateException(holding.toString());
        }
    }

    private void holdError(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!held.fits(content) && !translation.rewritesBodies()) {
            // Too large to be an error document worth judging: the client gets it as it is.
            relayHeld();
            relay.relay(content);
            return;
        }
        // A translated error is judged and rewritten from its first MAX_ERROR_BODY bytes; the rest is dropped.
        held.add(content);
        if (last) {
            judgeError();
        }
    }

    private void judgeError() {
        // The status the answer stands for (Bedrock's x-amzn-ErrorType may say more than its status code).
        int status = translation.judgedStatus(head);
        ResponseClassifier classifier = loop.classifier();
        String prefix = classifier.needsBody(status) ? held.prefix(ERROR_PREFIX) : null;
        ErrorVerdict verdict = classifier.judgeError(status, prefix, accessToken != null && loop.tokenRenewable(),
                target.upstream().auth().type() == AuthType.PASSTHROUGH);
        boolean reusable = HttpUtil.isKeepAlive(head);
        switch (verdict.action()) {
            case RENEW_TOKEN -> {
                // Revoked or expired early: not a failure of the upstream.
                AccessToken refused = accessToken;
                retire(reusable);
                loop.renewToken(this, refused);
            }
            case CLIENT_ERROR -> {
                // A client error: not the upstream's fault, and no other upstream would answer differently.
                verdictReached();
                forwardHeldError();
            }
            case FAILURE -> {
                long retryAfter = RetryAfter.nanos(name -> head.headers().get(name),
                        loop.services().wallClock().getAsLong());
                loop.failed(this, verdict.kind(), retryAfter, reusable, true);
            }
            default -> throw new IllegalStateException(verdict.toString());
        }
    }

    /**
     * Sends the held error answer to the client as the exchange's answer, and ends the attempt: the upstream's error
     * body, or the stream exception that failed the peek window (nothing of that stream is held).
     */
    void forwardHeldError() {
        if (held == null && translation.streamException() != null) {
            answerStreamException(translation.streamException());
            return;
        }
        loop.timer().disarm();
        ByteBuf body = translation.errorBody(head.status().code(), held.take());
        held = null;
        writeWhole(body);
        retire(HttpUtil.isKeepAlive(head));
        loop.attemptEnded(this);
    }

    /** A successful answer to translate: collected whole (bounded), then sent with its translated length. */
    private void collect(HttpContent content) {
        if (!held.fits(content)) {
            content.release();
            retire(false);
            loop.answerLocally(502, "api_error", "The upstream's answer is larger than "
                    + (MAX_TRANSLATED_BODY >> 20) + " MiB, the most claude-lb translates.");
            return;
        }
        boolean last = content instanceof LastHttpContent;
        held.add(content);
        if (!last) {
            return;
        }
        ByteBuf whole = held.take();
        held = null;
        ByteBuf body;
        try {
            body = translation.body(whole);
        } catch (TranslationException e) {
            loop.failed(this, FailureKind.HTTP_502, 0, HttpUtil.isKeepAlive(head), false);
            return;
        } finally {
            whole.release();
        }
        loop.timer().disarm();
        verdictReached();
        loop.snapshot().balancer().onSuccess(target, loop.services().clock().nanoTime() - startNanos);
        if (!loop.countsTokens()) {
            wholeUsage = JsonUsageTap.ofWhole(body).usage();
        }
        writeWhole(body);
        retire(HttpUtil.isKeepAlive(head));
        loop.attemptEnded(this);
    }

    private void peekAt(HttpContent content) {
        switch (peek.add(content)) {
            case FAIL -> peekFailed();
            case COMMIT -> commit();
            case HOLD -> { }
            default -> throw new IllegalStateException();
        }
    }

    /**
     * An error event before the stream's first real event. A stream exception the translation saw (a Bedrock
     * exception frame) says what it was: a failure to fail over with, or the client's own error (a validation
     * exception), answered locally with the status and type it stands for. Otherwise the event's type decides.
     * A failure holds its answer like an error body does: when no other upstream is left after this, the only
     * attempt's exception is the reply ({@link #forwardHeldError}), as a throttled upstream's own 429 would be.
     */
    private void peekFailed() {
        BedrockStreamException exception = translation.streamException();
        if (exception == null) {
            loop.failed(this, loop.classifier().inBandError(peek.errorType()), 0, false, false);
            return;
        }
        FailureKind kind = loop.classifier().streamException(exception);
        if (kind != null) {
            loop.failed(this, kind, 0, false, true);
            return;
        }
        answerStreamException(exception);
    }

    /** claude-lb's answer for a stream exception: the status and Anthropic type it stands for, Bedrock's message. */
    private void answerStreamException(BedrockStreamException exception) {
        verdictReached();
        retire(false);
        loop.answerLocally(exception.status(), exception.errorType(), exception.message().isEmpty()
                ? "The upstream refused the request (" + exception.exceptionType() + ")." : exception.message());
    }

    // ---- committing and relaying ----------------------------------------------------------------------------

    /** The answer is good (or final): from here on, bytes flow to the client. */
    private void commit() {
        loop.timer().disarm();
        verdictReached();
        loop.snapshot().balancer().onSuccess(target, loop.services().clock().nanoTime() - startNanos);
        startRelay();
        List<HttpContent> peeked = peek == null ? null : peek.drain();
        peek = null;
        if (peeked != null) {
            for (HttpContent c : peeked) {
                relay.relay(c);
            }
        }
    }

    /** An error body too large to judge: send the head and what was held, then relay the rest. */
    private void relayHeld() {
        loop.timer().disarm();
        verdictReached();
        startRelay();
        ByteBuf buffered = held.take();
        held = null;
        relay.prefix(buffered);
    }

    private void startRelay() {
        step = Step.RELAYING;
        Channel ch = backend;
        relay = new StreamRelay(loop.sink(), translation, eventStream, HttpUtil.isKeepAlive(head), ch::read,
                loop.timer(), loop.services().clock(), idleNanos(), loop.writeStallNanos(),
                holding != HeadVerdict.HOLD_ERROR && !loop.countsTokens(), this);
        relay.start(clientHead());
    }

    @Override
    public void relayEnded(StreamRelay.End end, FailureKind failure, boolean upstreamReusable) {
        switch (end) {
            case COMPLETE -> { }
            case UPSTREAM_FAILED -> {
                loop.record().attemptFailed(failure);
                loop.record().outcome(Outcome.FAILED_MID_STREAM);
                loop.snapshot().balancer().onFailure(target, FailureKind.MID_STREAM, 0);
            }
            case SINK_STALLED -> loop.record().outcome(Outcome.CLIENT_STALLED);
            case SHUT_DOWN -> loop.record().outcome(Outcome.CUT_BY_SHUTDOWN);
            case CANCELLED -> {
                retire(false);
                return;
            }
            default -> throw new IllegalStateException(end.toString());
        }
        retire(upstreamReusable);
        loop.attemptEnded(this);
    }

    @Override
    public void onReadComplete() {
        if (backend == null) {
            return;
        }
        switch (step) {
            case RELAYING -> relay.readComplete();
            case AWAITING_HEAD, HOLDING -> {
                lastReadNanos = loop.services().clock().nanoTime();
                backend.read();
            }
            default -> { }
        }
    }

    @Override
    public void onClosed(Throwable cause) {
        switch (step) {
            case RELAYING -> relay.fail(cause instanceof io.netty.handler.codec.DecoderException
                    ? FailureKind.PROTOCOL_ERROR : FailureKind.MID_STREAM);
            case AWAITING_HEAD, HOLDING -> loop.failed(this, cause == null ? FailureKind.RESET_BEFORE_HEADERS
                    : BackendFailures.classify(cause), 0, false, false);
            default -> { }
        }
    }

    /** The exchange's timer fired for this attempt. */
    void onTimer() {
        switch (step) {
            case AWAITING_HEAD -> loop.failed(this, FailureKind.READ_TIMEOUT, 0, false, false);
            case HOLDING -> {
                if (holding == HeadVerdict.PEEK) {
                    // Outside a read batch nothing else flushes: without this the held events would wait for the
                    // next upstream read, which may be seconds away (that is why the peek gave up).
                    commit();
                    if (!relay.ended()) {
                        relay.flush();
                    }
                    return;
                }
                long quiet = loop.services().clock().nanoTime() - lastReadNanos;
                if (quiet >= idleNanos()) {
                    loop.failed(this, FailureKind.READ_TIMEOUT, 0, false, false);
                } else {
                    loop.timer().arm(idleNanos() - quiet);
                }
            }
            case RELAYING -> relay.onTimer();
            default -> { }
        }
    }

    // ---- endings --------------------------------------------------------------------------------------------

    /** The client went away: the connection cannot be reused mid-response; not an upstream failure. */
    void cancel() {
        if (relay != null && !relay.ended()) {
            relay.cancel();
        } else {
            retire(false);
        }
    }

    /**
     * The shutdown grace is over. A relayed stream ends with an error event; an attempt that has answered nothing
     * yet is dropped and the loop answers for it.
     *
     * @return true when the attempt had committed and ended its own answer
     */
    boolean shutDown() {
        if (step == Step.RELAYING && !relay.ended()) {
            relay.shutDown();
            return true;
        }
        retire(false);
        return false;
    }

    /**
     * Ends the attempt: held chunks released, the connection given back (pooled only when {@code reusable}: its
     * response was read completely), the balancer told. Idempotent.
     */
    void retire(boolean reusable) {
        if (step == Step.RETIRED) {
            return;
        }
        step = Step.RETIRED;
        loop.timer().disarm();
        discardHeld();
        Channel ch = backend;
        backend = null;
        if (ch != null) {
            pool.release(ch, reusable);
        }
        loop.snapshot().balancer().onEnd(target, bytes());
    }

    private void discardHeld() {
        if (peek != null) {
            peek.release();
            peek = null;
        }
        if (held != null) {
            held.release();
            held = null;
        }
    }

    /** Body bytes this attempt wrote to the client. */
    long bytes() {
        return relay != null ? relay.bytes() : wholeBytes;
    }

    /** The relay of a committed answer (for its usage taps), or null. */
    StreamRelay relay() {
        return relay;
    }

    /** The upstream's own token counts of the answer (Bedrock's invocation metrics), or null. */
    InvocationMetrics metrics() {
        return translation.metrics();
    }

    /** Usage of a translated answer this attempt wrote whole, or null. */
    Usage wholeUsage() {
        return wholeUsage;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** The time this attempt waited on its upstream ends: it has given its verdict (once; later calls do nothing). */
    void verdictReached() {
        if (sentNanos >= 0) {
            loop.record().upstreamWait(loop.services().clock().nanoTime() - sentNanos);
            sentNanos = -1;
        }
    }

    private HttpResponse clientHead() {
        loop.answered(head.status().code());
        return ClientHeads.relayed(head, translation, target.name(), loop.record().requestId());
    }

    /** The upstream's status and headers with a whole body of known length. */
    private void writeWhole(ByteBuf body) {
        wholeBytes += body.readableBytes();
        loop.answered(head.status().code());
        loop.sink().whole(ClientHeads.whole(head, translation, target.name(), loop.record().requestId(), body));
    }

    private long idleNanos() {
        return target.upstream().timeouts().idle().toNanos();
    }
}
