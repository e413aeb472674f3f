package io.claudelb.server.exchange;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.auth.UpstreamTokens;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.log.AccessLog;
import java.util.function.LongSupplier;

/**
 * What every exchange shares, whatever the config snapshot: backend pools, clocks, the access log, OAuth tokens.
 *
 * @param pools     backend pools per (upstream, event loop)
 * @param clock     monotonic time for timings and timeouts
 * @param wallClock epoch milliseconds, for HTTP-date retry-after values
 * @param accessLog one line per finished request
 * @param tokens    access tokens of {@code databricks_oauth} / {@code oauth_refresh} upstreams
 */
public record ExchangeSettings(BackendPools pools, NanoClock clock, LongSupplier wallClock, AccessLog accessLog,
                               UpstreamTokens tokens) {

    /** Tokens fetched over HTTP through {@code pools}, with {@code clock} deciding when they expire. */
    public ExchangeSettings(BackendPools pools, NanoClock clock, LongSupplier wallClock, AccessLog accessLog) {
        this(pools, clock, wallClock, accessLog, new UpstreamTokens(pools, clock));
    }
}
