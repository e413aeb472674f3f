package io.claudelb.server.exchange;

import io.claudelb.codec.json.BodyRewriter;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.codec.openai.TranslationException;
import io.claudelb.codec.sse.SseScanner;
import io.claudelb.codec.usage.JsonUsageTap;
import io.claudelb.codec.usage.UsageTap;
import io.claudelb.core.balance.SelectionContext;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.RetrySettings;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.health.FailureKind;
import io.claudelb.core.health.RetryAfter;
import io.claudelb.core.route.RouteDecision;
import io.claudelb.core.route.Target;
import io.claudelb.server.gateway.ConfigSnapshot;
import io.claudelb.server.auth.AccessToken;
import io.claudelb.server.auth.CallerCredential;
import io.claudelb.server.auth.TokenSource;
import io.claudelb.server.backend.BackendPool;
import io.claudelb.server.backend.BackendReceiver;
import io.claudelb.server.local.LocalResponses;
import io.claudelb.server.observe.ExchangeRecord;
import io.claudelb.server.observe.Outcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One client request relayed to upstreams: the state machine of steps 4-10 of architecture.md's "path of one
 * streaming request". It lives on the client channel's event loop and every method runs there.
 *
 * <p>Per attempt: pick a target (balancer), acquire a connection from this loop's pool, write the request (model
 * rewritten for the target), then read the response head. An error status is buffered (bounded) and either fails over
 * or goes to the client unchanged; a stream is peeked until its first real event so an in-band error still fails
 * over; anything else is relayed chunk by chunk, reading the upstream only while the client is writable. Once a
 * byte reached the client, an upstream failure ends the stream with one {@code event: error}.
 *
 * <p>An {@code openai} upstream's attempt sends a translated body and sees its answer through an
 * {@link OpenAiTranslation} (others through {@link ResponseTranslation#IDENTITY}): stream chunks are translated
 * before the peek and the relay, a successful JSON answer is collected (bounded) and translated whole, an error body
 * is translated before it is forwarded. Failover and health decisions stay here, by the upstream's status.
 *
 * <p>Credentials: an upstream with a token-based credential ({@code databricks_oauth}, {@code oauth_refresh}) gets
 * its access token from its {@link TokenSource} before the connection is acquired; the exchange waits for it without
 * blocking. An upstream 401 on such an attempt is answered once per exchange by renewing the token and retrying the
 * same upstream; that retry does not count towards {@code retry.max_attempts}, and a second 401 is an ordinary
 * {@code UPSTREAM_AUTH} failure. {@code passthrough} upstreams get the caller's own {@link CallerCredential}.
 *
 * <p>What the client gets for each kind of upstream failure is the package's failure policy (package-info).
 *
 * <p>Ownership: the exchange holds the client request until it ends (each attempt writes a retained rewrite of its
 * body); held response chunks and the buffered error or collected body are released on every path that does not
 * write them.
 */
public final class Exchange {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_TAPPED_EVENT = 64 * 1024;
    /** Bound on a successful answer collected for translation (the one place a response is aggregated). */
    private static final int MAX_TRANSLATED_BODY = 32 * 1024 * 1024;

    private enum Phase { CONNECTING, AWAITING_HEAD, BUFFERING_ERROR, COLLECTING, PEEKING, RELAYING, DONE }

    private final ExchangeServices shared;
    private final ConfigSnapshot snapshot;
    private final ChannelHandlerContext client;
    private final FullHttpRequest request;
    private final RequestInfo info;
    private final RouteDecision decision;
    private final SelectionContext selection;
    private final CallerCredential caller;
    private final boolean countTokens;
    private final ExchangeListener listener;
    private final ExchangeRecord record;
    private final RetrySettings retry;
    private final Set<String> tried = new HashSet<>(4);

    private Phase phase;
    private int attempt;
    private Target target;
    private BackendPool pool;
    private Channel backend;
    private long attemptStartNanos;
    private long lastReadNanos;
    private boolean readPaused;
    private final ExchangeTimer timer;
    private HttpResponse head;
    private boolean eventStream;
    private BoundedBody errorBody;
    private BoundedBody collected;
    private ResponseTranslation translation = ResponseTranslation.IDENTITY;
    private PeekWindow peek;
    private final RelayBatch batch;
    private SseScanner tap;
    private SseTail sseTail;
    private UsageTap usage;
    /** Usage of a JSON answer, read from its chunks as they pass (or from the translated body). */
    private JsonUsageTap jsonUsage;
    private long bytesToClient;
    private int failures;
    private boolean allOverload = true;
    private FailureKind lastFailure;
    private AccessToken accessToken;
    private boolean renewToken;
    private int authRetries;

    /**
     * @param caller      the caller's own upstream credential, for {@code passthrough} upstreams
     * @param countTokens true for {@code /v1/messages/count_tokens}, false for {@code /v1/messages}
     */
    public Exchange(ExchangeServices shared, ConfigSnapshot snapshot, ChannelHandlerContext client, FullHttpRequest request,
                    RequestInfo info, RouteDecision decision, SelectionContext selection, CallerCredential caller,
                    boolean countTokens, ExchangeRecord record, ExchangeListener listener) {
        this.shared = shared;
        this.snapshot = snapshot;
        this.client = client;
        this.request = request;
        this.info = info;
        this.decision = decision;
        this.selection = selection;
        this.caller = caller;
        this.countTokens = countTokens;
        this.record = record;
        this.listener = listener;
        this.retry = snapshot.config().retry();
        this.batch = new RelayBatch(client.alloc());
        this.timer = new ExchangeTimer(client.channel().eventLoop(), this::onTimer);
    }

    /** Starts the first attempt. The exchange owns {@code request} from here on. */
    public void start() {
        Target first = snapshot.balancer().select(decision, selection, tried);
        if (first == null) {
            exhausted();
        } else {
            startAttempt(first);
        }
    }

    // ---- attempts ----------------------------------------------------------------------------------------------

    private void startAttempt(Target next) {
        attempt++;
        target = next;
        tried.add(next.name());
        snapshot.balancer().onStart(next);
        attemptStartNanos = shared.clock().nanoTime();
        record.attemptStarted(next.name(), next.model());
        pool = shared.pools().pool(client.channel().eventLoop(), next.upstream());
        phase = Phase.CONNECTING;
        int thisAttempt = attempt;
        AccessToken rejected = renewToken ? accessToken : null;
        renewToken = false;
        accessToken = null;
        TokenSource tokens = shared.tokens().source(next.upstream());
        if (tokens == null) {
            acquire(thisAttempt);
            return;
        }
        EventLoop loop = client.channel().eventLoop();
        Future<AccessToken> token = rejected != null ? tokens.renew(loop, rejected) : tokens.token(loop);
        if (token.isDone()) {
            onToken(thisAttempt, token);
        } else {
            token.addListener(f -> onToken(thisAttempt, token));
        }
    }

    private void onToken(int forAttempt, Future<AccessToken> token) {
        if (forAttempt != attempt || phase != Phase.CONNECTING) {
            return;
        }
        if (!token.isSuccess()) {
            // The credential could not be obtained: the upstream cannot be used now (the source logged why).
            attemptFailed(FailureKind.UPSTREAM_AUTH, 0, false);
            return;
        }
        accessToken = token.getNow();
        acquire(forAttempt);
    }

    private void acquire(int thisAttempt) {
        BackendPool thisPool = pool;
        Future<Channel> acquired = pool.acquire();
        if (acquired.isDone()) {
            onAcquired(thisAttempt, thisPool, acquired);
        } else {
            acquired.addListener(f -> onAcquired(thisAttempt, thisPool, acquired));
        }
    }

    private void onAcquired(int forAttempt, BackendPool from, Future<Channel> acquired) {
        if (forAttempt != attempt || phase != Phase.CONNECTING) {
            if (acquired.isSuccess()) {
                from.release(acquired.getNow(), true);
            }
            return;
        }
        if (!acquired.isSuccess()) {
            attemptFailed(BackendFailures.classify(acquired.cause()), 0, false);
            return;
        }
        backend = acquired.getNow();
        send();
    }

    private void send() {
        ByteBuf body = requestBody();
        if (body == null) {
            return;
        }
        HttpRequest head = UpstreamRequests.head(request, target.upstream(), upstreamPath(),
                accessToken == null ? null : accessToken.value(), caller, body.readableBytes());
        BackendReceiver.of(backend).attach(new ResponseRelay(this, attempt));
        phase = Phase.AWAITING_HEAD;
        backend.write(head, backend.voidPromise());
        backend.writeAndFlush(new DefaultLastHttpContent(body), backend.voidPromise());
        backend.read();
        schedule(target.upstream().timeouts().firstByte().toNanos());
    }

    /** This attempt's body, with the matching response translation chosen; null when a 400 was answered instead. */
    private ByteBuf requestBody() {
        if (target.upstream().kind() != UpstreamKind.OPENAI) {
            translation = ResponseTranslation.IDENTITY;
            return BodyRewriter.rewrite(backend.alloc(), request.content(), info, target.model(),
                    info.hasProviderMember());
        }
        try {
            ByteBuf body = OpenAiTranslation.requestBody(backend.alloc(), request.content(), target, info.model());
            translation = new OpenAiTranslation(client.alloc(), info.model(), record.requestId(),
                    request.content().readableBytes());
            return body;
        } catch (TranslationException e) {
            // The client's request, not the upstream: no other upstream of this kind would take it either.
            answerLocally(400, "invalid_request_error", e.getMessage(), true);
            return null;
        }
    }

    /**
     * The attempt failed before anything reached the client: record it, drop the connection, and try the next
     * eligible upstream, or answer for all of them.
     */
    private void attemptFailed(FailureKind kind, long retryAfterNanos, boolean connectionReusable) {
        cancelTimer();
        recordFailure(kind, retryAfterNanos, connectionReusable);
        Target next = nextTarget(kind);
        if (next != null) {
            startAttempt(next);
        } else {
            exhausted();
        }
    }

    private Target nextTarget(FailureKind kind) {
        if (!kind.retryable() || countedAttempts() >= retry.maxAttempts()) {
            return null;
        }
        return snapshot.balancer().select(decision, selection, tried);
    }

    // ---- backend events ----------------------------------------------------------------------------------------

    void onBackendRead(int forAttempt, HttpObject msg) {
        if (forAttempt != attempt || phase == Phase.DONE || phase == Phase.CONNECTING) {
            ReferenceCountUtil.release(msg);
            return;
        }
        lastReadNanos = shared.clock().nanoTime();
        if (msg instanceof HttpResponse res) {
            onHead(res);
        }
        if (msg instanceof HttpContent content) {
            onContent(content);
        }
    }

    private void onHead(HttpResponse res) {
        if (res.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
            return;
        }
        cancelTimer();
        head = res;
        int status = res.status().code();
        eventStream = ClientHeads.isEventStream(res);
        if (status >= 400) {
            phase = Phase.BUFFERING_ERROR;
            errorBody = new BoundedBody(backend.alloc(), MAX_ERROR_BODY);
        } else if (!eventStream && translation.rewritesBodies()) {
            phase = Phase.COLLECTING;
            collected = new BoundedBody(backend.alloc(), MAX_TRANSLATED_BODY);
        } else if (eventStream && retry.peekMaxBytes() > 0 && !retry.peekMaxWait().isZero()) {
            phase = Phase.PEEKING;
            peek = new PeekWindow(retry.peekMaxBytes());
        } else {
            commit();
            return;
        }
        schedule(phase == Phase.PEEKING ? retry.peekMaxWait().toNanos() : idleNanos());
    }

    private void onContent(HttpContent content) {
        switch (phase) {
            case BUFFERING_ERROR -> bufferError(content);
            case COLLECTING -> collect(content);
            case PEEKING -> peekAt(translation.content(content));
            case RELAYING -> relay(translation.content(content));
            default -> content.release();
        }
    }

    private void bufferError(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!errorBody.fits(content) && !translation.rewritesBodies()) {
            // Too large to be an error document worth judging: the client gets it as it is.
            commitBuffered();
            relay(content);
            return;
        }
        // A translated error is judged and rewritten from its first MAX_ERROR_BODY bytes; the rest is dropped.
        errorBody.add(content);
        if (last) {
            judgeError();
        }
    }

    private void judgeError() {
        int status = head.status().code();
        if (status == 401 && accessToken != null && authRetries == 0) {
            renewAndRetry(HttpUtil.isKeepAlive(head));
            return;
        }
        FailureKind kind = snapshot.classifier().classifyStatus(status);
        if (kind == null) {
            kind = snapshot.classifier().classifyBody(status,
                    errorBody.prefix(4096));
        }
        if (kind == FailureKind.UPSTREAM_AUTH && target.upstream().auth().type() == AuthType.PASSTHROUGH) {
            // The credential the upstream refused is the client's own: the client must hear it, it is no failure.
            kind = null;
        }
        if (kind == null) {
            // A client error (400, 404, 413, 422...): not the upstream's fault, and no other upstream would differ.
            forwardError();
            finish(true, HttpUtil.isKeepAlive(head));
            return;
        }
        long retryAfter = RetryAfter.nanos(name -> head.headers().get(name), shared.wallClock().getAsLong());
        boolean reusable = HttpUtil.isKeepAlive(head);
        Target next = nextTarget(kind);
        if (next != null) {
            recordFailure(kind, retryAfter, reusable);
            startAttempt(next);
        } else if (countedAttempts() == 1 && kind != FailureKind.UPSTREAM_AUTH) {
            // The only attempt: the upstream's own answer (status, retry-after, message) is the most useful reply.
            // Not a 401/403 though: that is about claude-lb's credential, and would tell the client its key is bad.
            failures++;
            record.attemptFailed(kind);
            snapshot.balancer().onFailure(target, kind, retryAfter);
            forwardError();
            finish(true, reusable);
        } else {
            recordFailure(kind, retryAfter, reusable);
            exhausted();
        }
    }

    /** A successful answer to translate: collected whole (bounded), then sent with its translated length. */
    private void collect(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        if (!collected.fits(content)) {
            content.release();
            answerLocally(502, "api_error", "The upstream's answer is larger than " + (MAX_TRANSLATED_BODY >> 20)
                    + " MiB, the most claude-lb translates.", false);
            return;
        }
        collected.add(content);
        if (!last) {
            return;
        }
        ByteBuf whole = collected.take();
        collected = null;
        ByteBuf body;
        try {
            body = translation.body(whole);
        } catch (TranslationException e) {
            attemptFailed(FailureKind.HTTP_502, 0, HttpUtil.isKeepAlive(head));
            return;
        } finally {
            whole.release();
        }
        cancelTimer();
        snapshot.balancer().onSuccess(target, lastReadNanos - attemptStartNanos);
        if (!countTokens) {
            jsonUsage = JsonUsageTap.ofWhole(body);
        }
        writeWhole(body);
        finish(true, HttpUtil.isKeepAlive(head));
    }

    /**
     * The upstream rejected our access token: it may have been revoked or expired early. Renew it and try the same
     * upstream once more; this is not a failure of the upstream.
     */
    private void renewAndRetry(boolean reusable) {
        cancelTimer();
        discardHeld();
        returnBackend(reusable);
        snapshot.balancer().onEnd(target, 0);
        authRetries++;
        renewToken = true;
        startAttempt(target);
    }

    /** Attempts that count towards {@code retry.max_attempts} (a token-renewal retry does not). */
    private int countedAttempts() {
        return attempt - authRetries;
    }

    /** Counts the attempt's failure, ends the attempt and drops what it held; the caller decides what comes next. */
    private void recordFailure(FailureKind kind, long retryAfterNanos, boolean reusable) {
        failures++;
        lastFailure = kind;
        allOverload &= kind.isOverload();
        record.attemptFailed(kind);
        snapshot.balancer().onFailure(target, kind, retryAfterNanos);
        snapshot.balancer().onEnd(target, 0);
        discardHeld();
        returnBackend(reusable);
    }

    private void peekAt(HttpContent content) {
        switch (peek.add(content)) {
            case FAIL -> attemptFailed(peek.failureKind(), 0, false);
            case COMMIT -> commit();
            case HOLD -> { }
            default -> throw new IllegalStateException();
        }
    }

    /** The response is good (or final): from here on, bytes flow to the client. */
    private void commit() {
        cancelTimer();
        snapshot.balancer().onSuccess(target, lastReadNanos - attemptStartNanos);
        phase = Phase.RELAYING;
        client.write(clientHead(head));
        if (eventStream) {
            usage = new UsageTap();
            tap = new SseScanner(usage, MAX_TAPPED_EVENT);
            sseTail = new SseTail();
        } else if (!countTokens) {
            jsonUsage = new JsonUsageTap();
        }
        List<HttpContent> peeked = peek == null ? null : peek.drain();
        peek = null;
        if (peeked != null) {
            for (HttpContent c : peeked) {
                if (phase == Phase.RELAYING) {
                    relay(c);
                } else {
                    c.release();
                }
            }
        }
        if (phase == Phase.RELAYING) {
            schedule(idleNanos());
        }
    }

    /** An oversized error body: send the head and what was buffered, then relay the rest. */
    private void commitBuffered() {
        cancelTimer();
        phase = Phase.RELAYING;
        client.write(clientHead(head));
        ByteBuf buffered = errorBody.take();
        errorBody = null;
        bytesToClient += buffered.readableBytes();
        client.write(new DefaultHttpContent(buffered), client.voidPromise());
        schedule(idleNanos());
    }

    /**
     * Passes one response chunk on. Its bytes join the read batch's {@link #batch}, written as one chunk when the
     * batch ends ({@link #writeBatch}): the HTTP encoder then frames (hex length, CRLF) and queues once per upstream
     * read instead of once per upstream chunk. The bytes themselves are never copied (a composite of the chunks).
     */
    private void relay(HttpContent content) {
        ByteBuf bytes = content.content();
        bytesToClient += bytes.readableBytes();
        if (tap != null) {
            tap.scan(bytes);
            sseTail.track(bytes);
        } else if (jsonUsage != null) {
            jsonUsage.feed(bytes);
        }
        if (!(content instanceof LastHttpContent last)) {
            batch.add(bytes);
            return;
        }
        if (last.trailingHeaders().isEmpty()) {
            batch.add(bytes);
            client.write(batch.takeAsLast(), client.voidPromise());
        } else {
            writeBatch();
            client.write(content, client.voidPromise());
        }
        client.flush();
        finish(true, HttpUtil.isKeepAlive(head));
    }

    /** Writes what this read batch relayed so far (nothing if it relayed nothing); the caller flushes. */
    private void writeBatch() {
        HttpContent chunk = batch.take();
        if (chunk != null) {
            client.write(chunk, client.voidPromise());
        }
    }

    void onBackendReadComplete(int forAttempt) {
        if (forAttempt != attempt || backend == null) {
            return;
        }
        switch (phase) {
            case RELAYING -> {
                writeBatch();
                client.flush();
                if (client.channel().isWritable()) {
                    backend.read();
                } else {
                    readPaused = true;
                }
            }
            case AWAITING_HEAD, BUFFERING_ERROR, COLLECTING, PEEKING -> backend.read();
            default -> { }
        }
    }

    /** The client drained its outbound buffer: resume reading the upstream. */
    public void onClientWritable() {
        if (readPaused && phase == Phase.RELAYING && client.channel().isWritable()) {
            readPaused = false;
            backend.read();
        }
    }

    void onBackendClosed(int forAttempt, Throwable cause) {
        if (forAttempt != attempt || phase == Phase.DONE || phase == Phase.CONNECTING) {
            return;
        }
        if (phase == Phase.RELAYING) {
            failMidStream(FailureKind.MID_STREAM);
        } else {
            attemptFailed(cause == null ? FailureKind.RESET_BEFORE_HEADERS : BackendFailures.classify(cause), 0, false);
        }
    }

    private void onTimer() {
        if (phase == Phase.DONE) {
            return;
        }
        long now = shared.clock().nanoTime();
        switch (phase) {
            case AWAITING_HEAD -> attemptFailed(FailureKind.READ_TIMEOUT, 0, false);
            case PEEKING -> {
                // Outside a read batch nothing else flushes: without this the held events would wait for the next
                // upstream read, which may be seconds away (that is why the peek gave up).
                commit();
                writeBatch();
                client.flush();
            }
            case BUFFERING_ERROR, COLLECTING, RELAYING -> {
                long quiet = now - lastReadNanos;
                if (readPaused) {
                    schedule(idleNanos());
                } else if (quiet >= idleNanos()) {
                    if (phase == Phase.RELAYING) {
                        failMidStream(FailureKind.READ_TIMEOUT);
                    } else {
                        attemptFailed(FailureKind.READ_TIMEOUT, 0, false);
                    }
                } else {
                    schedule(idleNanos() - quiet);
                }
            }
            default -> { }
        }
    }

    /**
     * The upstream failed after bytes reached the client. A stream ends with one protocol-valid
     * {@code event: error}; any other body cannot be completed, so the client connection is closed.
     */
    private void failMidStream(FailureKind kind) {
        cancelTimer();
        record.attemptFailed(kind);
        record.outcome(Outcome.FAILED_MID_STREAM);
        snapshot.balancer().onFailure(target, FailureKind.MID_STREAM, 0);
        returnBackend(false);
        writeBatch();
        if (eventStream) {
            // The upstream may have stopped inside an event: close it off first so ours parses as an error event.
            String separator = sseTail == null ? "" : sseTail.separator();
            if (!separator.isEmpty()) {
                client.write(new DefaultHttpContent(Unpooled.copiedBuffer(separator, StandardCharsets.US_ASCII)),
                        client.voidPromise());
            }
            ByteBuf event = translation.failure(client.alloc(), "api_error",
                    "The upstream connection failed mid-stream; the response is incomplete.");
            client.write(new DefaultLastHttpContent(event), client.voidPromise());
            client.flush();
            finish(true, false);
        } else {
            client.flush();
            finish(false, false);
        }
    }

    // ---- client events -----------------------------------------------------------------------------------------

    /** The client went away: free the backend (never pooled mid-response); not an upstream failure. */
    public void onClientClosed() {
        if (phase == Phase.DONE) {
            return;
        }
        // Whenever the phase is not DONE an attempt is running (onStart was called), so it must end.
        record.outcome(Outcome.CLIENT_ABORTED);
        cancelTimer();
        discardHeld();
        returnBackend(false);
        phase = Phase.DONE;
        snapshot.balancer().onEnd(target, bytesToClient);
        end(false);
    }

    // ---- endings -----------------------------------------------------------------------------------------------

    /**
     * @param keepClient      the response to the client is complete, so its connection may take another request
     * @param backendReusable the upstream response was read completely and may be pooled
     */
    private void finish(boolean keepClient, boolean backendReusable) {
        cancelTimer();
        returnBackend(backendReusable);
        phase = Phase.DONE;
        snapshot.balancer().onEnd(target, bytesToClient);
        end(keepClient);
    }

    /** Every candidate failed or none was eligible: answer for all of them ({@link AllFailedAnswer}). */
    private void exhausted() {
        cancelTimer();
        phase = Phase.DONE;
        FullHttpResponse res = AllFailedAnswer.build(client.alloc(), decision.requestedModel(), failures, allOverload,
                lastFailure, snapshot.balancer().nanosUntilRecovery(decision), record.requestId());
        record.answeredLocally(res.status().code(), shared.clock().nanoTime() - record.startNanos());
        client.writeAndFlush(res);
        end(true);
    }

    private void forwardError() {
        cancelTimer();
        ByteBuf buffered = errorBody.take();
        errorBody = null;
        writeWhole(translation.errorBody(head.status().code(), buffered));
    }

    /** claude-lb answers for this attempt: the request or the upstream's answer cannot be translated. */
    private void answerLocally(int status, String type, String message, boolean backendReusable) {
        cancelTimer();
        discardHeld();
        FullHttpResponse res = LocalResponses.error(client.alloc(), status, type, message);
        res.headers().set(LocalResponses.REQUEST_ID, record.requestId());
        record.answeredLocally(status, shared.clock().nanoTime() - record.startNanos());
        client.writeAndFlush(res);
        finish(true, backendReusable);
    }

    /** The upstream's status and headers with a whole body of known length. */
    private void writeWhole(ByteBuf body) {
        bytesToClient += body.readableBytes();
        record.answered(head.status().code(), shared.clock().nanoTime() - record.startNanos());
        client.writeAndFlush(ClientHeads.whole(head, translation, target.name(), record.requestId(), body));
    }

    private void end(boolean keepConnection) {
        timer.remove();
        ReferenceCountUtil.release(request);
        batch.release();
        record.bytes(bytesToClient);
        if (jsonUsage != null) {
            record.usage(jsonUsage.usage());
        }
        if (usage != null) {
            record.usage(usage.usage());
            if (usage.errorType() != null) {
                record.inBandError(usage.errorType());
            }
        }
        shared.observers().exchangeEnded(record.toEvent(shared.clock().nanoTime()));
        listener.exchangeDone(this, keepConnection);
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private HttpResponse clientHead(HttpResponse upstream) {
        record.answered(upstream.status().code(), shared.clock().nanoTime() - record.startNanos());
        return ClientHeads.relayed(upstream, translation, target.name(), record.requestId());
    }

    private String upstreamPath() {
        String messages = target.upstream().messagesPath();
        return countTokens ? messages + "/count_tokens" : messages;
    }

    private void returnBackend(boolean reusable) {
        Channel ch = backend;
        backend = null;
        readPaused = false;
        if (ch == null) {
            return;
        }
        pool.release(ch, reusable);
    }

    private void discardHeld() {
        batch.release();
        if (peek != null) {
            peek.release();
            peek = null;
        }
        if (errorBody != null) {
            errorBody.release();
            errorBody = null;
        }
        if (collected != null) {
            collected.release();
            collected = null;
        }
    }

    private long idleNanos() {
        return target.upstream().timeouts().idle().toNanos();
    }

    private void schedule(long nanos) {
        timer.arm(nanos);
    }

    private void cancelTimer() {
        timer.disarm();
    }

    /** Request id, for logs and the response header. */
    public String requestId() {
        return record.requestId();
    }
}
