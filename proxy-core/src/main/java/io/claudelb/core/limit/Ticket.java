package io.claudelb.core.limit;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An admitted request's hold on its client's limits: it occupies one concurrency slot until {@link #finish},
 * which also charges the answer's tokens to the token bucket and its cost to the budgets. Finishing twice is
 * harmless (the second call does nothing), so whoever ends the request may call it.
 */
public final class Ticket {
    private final Limiter limiter;
    private final ClientState client;
    private final AtomicBoolean finished = new AtomicBoolean();

    Ticket(Limiter limiter, ClientState client) {
        this.limiter = limiter;
        this.client = client;
    }

    /**
     * @param tokens    input + output tokens the answer used (0 when it reported none)
     * @param costNanos its cost in nano-dollars (0 for a coalesced follower: no upstream call of its own)
     */
    public void finish(long tokens, long costNanos) {
        if (finished.compareAndSet(false, true)) {
            limiter.finish(client, tokens, costNanos);
        }
    }

    public boolean finished() {
        return finished.get();
    }
}
