package io.claudelb.server.backend;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.PoolSettings;
import io.claudelb.core.config.TlsSettings;
import io.claudelb.core.config.UpstreamConfig;
import java.time.Duration;

/**
 * What a backend connection depends on, and nothing else: the upstream's name (pools are counted by it), where it
 * connects (scheme, host, port, through which CONNECT proxy), how (the trusted CAs, the connect timeout) and the
 * pool's own limits. A reload that changes anything else of an upstream (a weight, a priority, its routes' models,
 * its credential, a read timeout) keeps the warm connections: those settings are read per request from the
 * snapshot, not from the pool.
 */
record PoolKey(String name, boolean https, String host, int port, OutboundProxy proxy, TlsSettings tls,
               Duration connectTimeout, PoolSettings pool) {

    static PoolKey of(UpstreamConfig upstream) {
        return new PoolKey(upstream.name(), upstream.https(), upstream.host(), upstream.port(), upstream.proxy(),
                upstream.tls(), upstream.timeouts().connect(), upstream.pool());
    }
}
