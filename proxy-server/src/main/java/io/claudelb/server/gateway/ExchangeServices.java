package io.claudelb.server.gateway;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.auth.UpstreamAwsCredentials;
import io.claudelb.server.auth.UpstreamTokens;
import io.claudelb.server.backend.BackendPools;
import io.claudelb.server.observe.ExchangeObservers;
import java.util.function.LongSupplier;

/**
 * The services every exchange uses, whatever the config snapshot: backend pools, clocks, the observers of finished
 * requests, OAuth and Google tokens, AWS credentials.
 *
 * @param pools     backend pools per (upstream, event loop)
 * @param clock     monotonic time for timings and timeouts
 * @param wallClock epoch milliseconds, for HTTP-date retry-after values and event times
 * @param observers told about every finished request (access log, metrics, usage)
 * @param tokens    access tokens of {@code databricks_oauth} / {@code oauth_refresh} upstreams and the Google
 *                  credentials of {@code vertex} ones
 * @param aws       AWS credentials and signers of SigV4-signed {@code bedrock} upstreams
 */
public record ExchangeServices(BackendPools pools, NanoClock clock, LongSupplier wallClock,
                               ExchangeObservers observers, UpstreamTokens tokens, UpstreamAwsCredentials aws) {

    /**
     * Tokens fetched over HTTP through {@code pools}, with {@code clock} deciding when they expire; AWS credentials
     * from the SDK's providers.
     */
    public ExchangeServices(BackendPools pools, NanoClock clock, LongSupplier wallClock, ExchangeObservers observers) {
        this(pools, clock, wallClock, observers, new UpstreamTokens(pools, clock), new UpstreamAwsCredentials());
    }
}
