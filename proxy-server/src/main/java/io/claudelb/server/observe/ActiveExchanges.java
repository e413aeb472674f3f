package io.claudelb.server.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * Proxied requests running now, streams apart: the one figure about requests that the exchange observers, which
 * hear of a request only when it ends, cannot give. The connection's exchange handler counts a request in when it
 * hands it to an exchange and out when that exchange's answer is over or its connection closes, once each. Written
 * on every event loop (a {@link LongAdder}: no contention), read by {@code /metrics}.
 */
public final class ActiveExchanges {
    private final LongAdder requests = new LongAdder();
    private final LongAdder streams = new LongAdder();

    public void started(boolean stream) {
        requests.increment();
        if (stream) {
            streams.increment();
        }
    }

    public void ended(boolean stream) {
        requests.decrement();
        if (stream) {
            streams.decrement();
        }
    }

    /** Proxied requests ({@code /v1/messages}, relayed {@code count_tokens}) running now, streams included. */
    public long requests() {
        return requests.sum();
    }

    /** Streaming requests running now. */
    public long streams() {
        return streams.sum();
    }
}
