package io.claudelb.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.claudelb.core.config.ClientLimits;
import io.claudelb.core.config.LimitsSettings;
import io.claudelb.core.time.NanoClock;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The per-client and per-session limits of {@code limits:}: decides, before any upstream call, whether a request may
 * start ({@link #admit}), and is charged when it ends ({@link Ticket#finish}). Requests per minute and tokens per
 * minute are Bucket4j buckets; concurrency is a counter; budgets are spend per day, week and month.
 *
 * <p>Order of the checks: budgets and the token bucket (read only), concurrency, then the session's and the client's
 * request buckets, so a refused request never uses up a limit it did not get past: a looping session that is refused
 * leaves its client's other sessions their requests.
 *
 * <p>Every method is safe from any thread and none blocks: buckets are lock-free, counters atomic, the session
 * table a bounded Caffeine cache maintained on the caller's thread. {@link #reconfigure} (a reload) reshapes the
 * existing buckets and keeps every count. Spend is tracked with or without a budget, so a budget added by a reload
 * counts what was already spent.
 */
public final class Limiter {
    /** The state key of the anonymous caller (no client keys configured). */
    private static final String ANONYMOUS = "";
    private static final long SESSION_IDLE_MINUTES = 10;
    private static final long MAX_SESSIONS = 100_000;

    private final MinuteBuckets buckets;
    private final LongSupplier wallMillis;
    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
    private final Cache<String, SessionBucket> sessions;
    private volatile LimitsSettings settings;

    /** A session's request bucket and the figure it was made for (a reload reshapes it on next use). */
    private static final class SessionBucket {
        volatile Bucket bucket;
        volatile long perMinute;

        SessionBucket(Bucket bucket, long perMinute) {
            this.bucket = bucket;
            this.perMinute = perMinute;
        }
    }

    /**
     * @param clock      monotonic time of the buckets
     * @param wallMillis epoch millis: budget periods and reset times
     */
    public Limiter(LimitsSettings settings, NanoClock clock, LongSupplier wallMillis) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.wallMillis = wallMillis;
        this.buckets = new MinuteBuckets(clock, wallMillis);
        this.sessions = Caffeine.newBuilder()
                .maximumSize(MAX_SESSIONS)
                .expireAfterAccess(Duration.ofMinutes(SESSION_IDLE_MINUTES))
                .ticker(clock::nanoTime)
                .executor(Runnable::run)
                .build();
    }

    /**
     * Whether a request of {@code client} (null: anonymous) in {@code session} may start now. A session equal to
     * the client name is the fallback for requests without one and is not limited separately.
     */
    public Admission admit(String client, String session) {
        LimitsSettings s = settings;
        ClientState state = state(client, s);
        ClientLimits limits = state.limits;
        long now = wallMillis.getAsLong();
        Refusal overBudget = overBudget(state, limits, now);
        if (overBudget != null) {
            return Admission.refused(overBudget);
        }
        Bucket tokens = state.tokens;
        if (tokens != null && tokens.getAvailableTokens() <= 0) {
            long wait = MinuteBuckets.nanosUntil(tokens, 1);
            return Admission.refused(new Refusal(LimitKind.TOKENS_PER_MINUTE, who(state) + " has used its "
                    + limits.tokensPerMinute() + " tokens per minute; retry in " + seconds(wait) + ".",
                    millis(wait), true, requestsView(state), buckets.view(tokens, limits.tokensPerMinute())));
        }
        int concurrent = limits.concurrent();
        if (state.inFlight.incrementAndGet() > concurrent && concurrent > 0) {
            state.inFlight.decrementAndGet();
            return Admission.refused(new Refusal(LimitKind.CONCURRENT, who(state) + " already has " + concurrent
                    + " requests in flight, its limit; retry when one has finished.", 1000, true,
                    requestsView(state), tokensView(state)));
        }
        SessionBucket sessionBucket = sessionBucket(client, session, s.sessionRequestsPerMinute());
        if (sessionBucket != null && !sessionBucket.bucket.tryConsume(1)) {
            state.inFlight.decrementAndGet();
            long wait = MinuteBuckets.nanosUntil(sessionBucket.bucket, 1);
            return Admission.refused(new Refusal(LimitKind.SESSION_REQUESTS_PER_MINUTE, "Session '" + session
                    + "' of " + whose(state) + " has reached the limit of "
                    + sessionBucket.perMinute + " requests per minute per session; retry in " + seconds(wait)
                    + ". The client's other sessions are not affected.", millis(wait), true,
                    buckets.view(sessionBucket.bucket, sessionBucket.perMinute), tokensView(state)));
        }
        Bucket requests = state.requests;
        if (requests != null && !requests.tryConsume(1)) {
            state.inFlight.decrementAndGet();
            if (sessionBucket != null) {
                sessionBucket.bucket.addTokens(1); // not admitted: the session keeps its request
            }
            long wait = MinuteBuckets.nanosUntil(requests, 1);
            return Admission.refused(new Refusal(LimitKind.REQUESTS_PER_MINUTE, who(state) + " has reached its limit"
                    + " of " + limits.requestsPerMinute() + " requests per minute; retry in " + seconds(wait) + ".",
                    millis(wait), true, buckets.view(requests, limits.requestsPerMinute()), tokensView(state)));
        }
        return Admission.admitted(new Ticket(this, state));
    }

    void finish(ClientState state, long tokens, long costNanos) {
        state.inFlight.decrementAndGet();
        Bucket bucket = state.tokens;
        if (bucket != null && tokens > 0) {
            bucket.consumeIgnoringRateLimits(tokens);
        }
        if (costNanos > 0) {
            long now = wallMillis.getAsLong();
            ZoneId zone = settings.timezone();
            for (SpendWindow w : state.spend.values()) {
                w.charge(costNanos, now, zone);
            }
        }
    }

    /**
     * New limits (a reload): every client's buckets are reshaped with their counts kept, sessions' on their next
     * request, budgets compared against what was already spent.
     */
    public void reconfigure(LimitsSettings next) {
        LimitsSettings old = settings;
        settings = Objects.requireNonNull(next, "next");
        long now = wallMillis.getAsLong();
        for (ClientState state : clients.values()) {
            state.reconfigure(next.forClient(nameOf(state)), buckets);
            if (!old.timezone().equals(next.timezone())) {
                state.rezone(now, next.timezone());
            }
        }
    }

    /**
     * Adds spend recorded before this process started (read from the usage database at start) to the current
     * {@code period} of {@code client}.
     */
    public void restoreSpend(String client, BudgetPeriod period, long nanos) {
        if (nanos > 0) {
            state(client, settings).spend.get(period).charge(nanos, wallMillis.getAsLong(), settings.timezone());
        }
    }

    /** A client's limits and what is left of each. */
    public ClientStatus status(String client) {
        LimitsSettings s = settings;
        ClientState state = state(client, s);
        ClientLimits limits = state.limits;
        long now = wallMillis.getAsLong();
        Map<BudgetPeriod, ClientStatus.Budget> budgets = new EnumMap<>(BudgetPeriod.class);
        for (BudgetPeriod p : BudgetPeriod.values()) {
            SpendWindow w = state.spend.get(p);
            budgets.put(p, new ClientStatus.Budget(ClientState.budgetOf(limits, p), w.spent(now),
                    w.endMillis(now, s.timezone())));
        }
        return new ClientStatus(client, limits, s.sessionRequestsPerMinute(), state.inFlight.get(),
                requestsView(state), tokensView(state), budgets);
    }

    public LimitsSettings settings() {
        return settings;
    }

    private ClientState state(String client, LimitsSettings s) {
        String key = client == null ? ANONYMOUS : client;
        ClientState state = clients.get(key);
        if (state == null) {
            state = clients.computeIfAbsent(key, k -> new ClientState(k, s.forClient(client), buckets));
        }
        return state;
    }

    private SessionBucket sessionBucket(String client, String session, long perMinute) {
        if (perMinute <= 0 || session == null || session.equals(client)) {
            return null;
        }
        String key = client == null ? session : client + '\u0000' + session;
        SessionBucket b = sessions.get(key, k -> new SessionBucket(buckets.create(perMinute), perMinute));
        if (b.perMinute != perMinute) {
            b.bucket = buckets.reshape(b.bucket, b.perMinute, perMinute);
            b.perMinute = perMinute;
        }
        return b;
    }

    private Refusal overBudget(ClientState state, ClientLimits limits, long now) {
        if (!limits.budget().any()) {
            return null;
        }
        for (BudgetPeriod p : BudgetPeriod.values()) {
            long budget = ClientState.budgetOf(limits, p);
            SpendWindow w = state.spend.get(p);
            if (budget > 0 && w.spent(now) >= budget) {
                long wait = Math.max(1000, w.endMillis(now, settings.timezone()) - now);
                return new Refusal(LimitKind.budget(p), who(state) + " has spent its " + p.adjective() + " budget of $"
                        + usd(budget) + "; it renews in " + seconds(wait * 1_000_000) + ".", wait, false,
                        requestsView(state), tokensView(state));
            }
        }
        return null;
    }

    private BucketView requestsView(ClientState state) {
        Bucket b = state.requests;
        return b == null ? null : buckets.view(b, state.limits.requestsPerMinute());
    }

    private BucketView tokensView(ClientState state) {
        Bucket b = state.tokens;
        return b == null ? null : buckets.view(b, state.limits.tokensPerMinute());
    }

    private static String nameOf(ClientState state) {
        return state.name.equals(ANONYMOUS) ? null : state.name;
    }

    private static String who(ClientState state) {
        return state.name.equals(ANONYMOUS) ? "This gateway's caller" : "Client '" + state.name + "'";
    }

    private static String whose(ClientState state) {
        return state.name.equals(ANONYMOUS) ? "this gateway's caller" : "client '" + state.name + "'";
    }

    private static long millis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    private static String seconds(long nanos) {
        long s = Math.max(1, (nanos + 999_999_999) / 1_000_000_000);
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return (s + 59) / 60 + " min";
        }
        return (s + 3599) / 3600 + " h";
    }

    private static String usd(long nanos) {
        return java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
