package io.claudelb.server.auth;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The AWS credentials of one {@code bedrock} upstream, always ready before they are needed: resolved by the SDK's
 * provider ({@link AwsProviders}) on the {@link CredentialThread} at {@link #start()}, then again ahead of expiry, so
 * an event loop only ever reads the current value. Shared by every event loop; lock-free.
 *
 * <p>Rules:
 * <ul>
 *   <li>Static keys are resolved once, at start, inline (nothing to fetch).</li>
 *   <li>Credentials with an expiry (an assumed role, web identity, container or instance metadata, a profile's
 *       temporary keys) are resolved again {@link #REFRESH_BEFORE_EXPIRY} before it; requests keep using the
 *       current ones meanwhile. In their last {@link #USABLE_MARGIN} they are no longer sent: a request then waits
 *       for the refresh.</li>
 *   <li>The next resolution is never scheduled sooner than {@link #MIN_REFRESH_INTERVAL} after the last one, even
 *       when the credentials it got are already due: the SDK's providers hand back what they cached until their own
 *       renewal, which they put at a random moment between 15 and 2 minutes before expiry (prefetch jitter), and a
 *       metadata endpoint may serve credentials already inside {@link #REFRESH_BEFORE_EXPIRY}. Without the floor each
 *       such answer scheduled the next resolution at once: a loop on the credential thread, millions of calls,
 *       until the provider renewed.</li>
 *   <li>Credentials without an expiry from the default chain (environment, profile keys) are read again every
 *       {@link #REREAD_EVERY}, so a rotated profile file is picked up.</li>
 *   <li>A failed resolution keeps what is current while it is usable and retries after {@link #RETRY_AFTER_FAILURE}.
 *       At most one resolution runs at a time; every request that needs credentials meanwhile waits on it, on its own
 *       event loop, without blocking.</li>
 * </ul>
 * The credentials are never logged: log lines name the upstream and when they expire, nothing else.
 */
public final class AwsCredentialSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AwsCredentialSource.class);
    static final Duration REFRESH_BEFORE_EXPIRY = Duration.ofMinutes(5);
    static final Duration USABLE_MARGIN = Duration.ofMinutes(1);
    static final Duration REREAD_EVERY = Duration.ofMinutes(10);
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(30);
    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(10);

    private final String upstreamName;
    private final Supplier<AwsCredentialsProvider> providerFactory;
    private volatile AwsCredentialsProvider provider;
    private final ScheduledExecutorService executor;
    private final LongSupplier wallMillis;
    private final boolean fixed;
    private final AtomicReference<CompletableFuture<AwsCredentialsIdentity>> inFlight = new AtomicReference<>();
    private volatile AwsCredentialsIdentity current;
    private volatile ScheduledFuture<?> scheduled;
    private volatile boolean closed;
    private volatile int resolutions;

    /**
     * @param providerFactory makes the SDK provider; called once, on the credential thread (building an SDK client
     *                        or the default chain reads profile files), or inline for static keys
     * @param fixed           static keys: resolved once, inline, never refreshed
     * @param executor        where the provider runs (the {@link CredentialThread} in production)
     * @param wallMillis      epoch milliseconds, compared with the credentials' expiry
     */
    public AwsCredentialSource(String upstreamName, Supplier<AwsCredentialsProvider> providerFactory, boolean fixed,
                               ScheduledExecutorService executor, LongSupplier wallMillis) {
        this.upstreamName = Objects.requireNonNull(upstreamName, "upstreamName");
        this.providerFactory = Objects.requireNonNull(providerFactory, "providerFactory");
        this.fixed = fixed;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    /** Resolves the credentials for the first time (inline for static keys, else on the credential thread). */
    public AwsCredentialSource start() {
        if (fixed) {
            AwsCredentialsProvider p = providerFactory.get();
            if (!(p instanceof StaticCredentialsProvider)) {
                throw new IllegalArgumentException("fixed credentials need a StaticCredentialsProvider");
            }
            provider = p;
            current = p.resolveCredentials();
            resolutions++;
        } else {
            refreshNow();
        }
        return this;
    }

    /**
     * Credentials to sign with now: the current ones when usable, else the resolution in flight (started if none
     * runs). The future completes on {@code loop}; it fails when the provider could not resolve any.
     */
    public Future<AwsCredentialsIdentity> credentials(EventLoop loop) {
        AwsCredentialsIdentity c = current;
        if (c != null && usableAt(c, wallMillis.getAsLong())) {
            return loop.newSucceededFuture(c);
        }
        Promise<AwsCredentialsIdentity> promise = loop.newPromise();
        // Completing a Netty promise from the credential thread is safe: its listeners run on the promise's loop.
        refreshNow().whenComplete((v, e) -> {
            if (e == null) {
                promise.trySuccess(v);
            } else {
                promise.tryFailure(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e);
            }
        });
        return promise;
    }

    /** The current credentials, or null before the first resolution (for tests and the attempt's fast path). */
    public AwsCredentialsIdentity current() {
        return current;
    }

    /** Resolutions finished so far. */
    public int resolutions() {
        return resolutions;
    }

    /**
     * Starts a resolution on the credential thread unless one is running; returns the running one. A success
     * replaces the current credentials and schedules the next resolution.
     */
    public CompletableFuture<AwsCredentialsIdentity> refreshNow() {
        while (true) {
            CompletableFuture<AwsCredentialsIdentity> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<AwsCredentialsIdentity> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                executor.execute(() -> resolve(mine));
                return mine;
            }
        }
    }

    private void resolve(CompletableFuture<AwsCredentialsIdentity> mine) {
        try {
            AwsCredentialsProvider p = provider;
            if (p == null) {
                p = providerFactory.get();
                provider = p;
            }
            AwsCredentialsIdentity fresh = p.resolveCredentials();
            current = fresh;
            resolutions++;
            inFlight.compareAndSet(mine, null);
            long delay = nextDelayMillis(fresh, wallMillis.getAsLong());
            LOG.debug("upstream {}: AWS credentials resolved{}", upstreamName, fresh.expirationTime()
                    .map(at -> ", expire at " + at).orElse(""));
            schedule(delay);
            mine.complete(fresh);
        } catch (RuntimeException e) {
            inFlight.compareAndSet(mine, null);
            // The SDK's messages name the providers it tried and why they failed, never a key.
            LOG.warn("upstream {}: could not resolve AWS credentials: {}", upstreamName, e.getMessage());
            schedule(RETRY_AFTER_FAILURE.toMillis());
            mine.completeExceptionally(new TokenException("AWS credentials of upstream '" + upstreamName
                    + "' could not be resolved: " + e.getMessage(), e));
        }
    }

    private void schedule(long delayMillis) {
        if (closed || delayMillis < 0) {
            return;
        }
        ScheduledFuture<?> previous = scheduled;
        if (previous != null) {
            previous.cancel(false);
        }
        scheduled = executor.schedule(this::refreshNow, delayMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * When to resolve again after {@code c} was resolved at {@code nowMillis}: {@link #REFRESH_BEFORE_EXPIRY} before
     * its expiry, but not sooner than {@link #MIN_REFRESH_INTERVAL} (credentials already due are what the provider
     * still caches: asking again at once gets the same), {@link #REREAD_EVERY} for default-chain keys without expiry,
     * never (-1) for static keys.
     */
    long nextDelayMillis(AwsCredentialsIdentity c, long nowMillis) {
        if (c.expirationTime().isPresent()) {
            long at = c.expirationTime().get().toEpochMilli() - REFRESH_BEFORE_EXPIRY.toMillis();
            return Math.max(MIN_REFRESH_INTERVAL.toMillis(), at - nowMillis);
        }
        return fixed ? -1 : REREAD_EVERY.toMillis();
    }

    /** Whether {@code c} may still be sent at {@code nowMillis} (not within {@link #USABLE_MARGIN} of expiry). */
    static boolean usableAt(AwsCredentialsIdentity c, long nowMillis) {
        return c.expirationTime().map(Instant::toEpochMilli)
                .map(expiry -> nowMillis < expiry - USABLE_MARGIN.toMillis()).orElse(true);
    }

    /** Stops the refreshes (the upstream left the config). */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> s = scheduled;
        if (s != null) {
            s.cancel(false);
        }
        if (provider instanceof AutoCloseable closeable && !(provider instanceof StaticCredentialsProvider)) {
            executor.execute(() -> {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.debug("upstream {}: closing its AWS credential provider: {}", upstreamName, e.toString());
                }
            });
        }
    }
}
