package io.claudelb.server.auth;

import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.TlsSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;

/**
 * What an upstream's credential state (a cached access token, a rotated refresh token, AWS credentials) depends on:
 * the upstream's name, its {@code auth:} block, and what fetching it goes through (the host a token endpoint on the
 * upstream's own host shares, the CONNECT proxy, the trusted CAs, a Bedrock upstream's region for STS and signing).
 * A reload that changes anything else (a weight, a priority, a timeout, its models) keeps that state, so an
 * {@code oauth_refresh} upstream goes on with the refresh token it was last given instead of the file's stale one.
 */
record CredentialKey(String name, UpstreamAuth auth, String host, OutboundProxy proxy, TlsSettings tls,
                     String region) {

    static CredentialKey of(UpstreamConfig upstream) {
        return new CredentialKey(upstream.name(), upstream.auth(), upstream.host(), upstream.proxy(), upstream.tls(),
                upstream.bedrock() == null ? null : upstream.bedrock().region());
    }
}
