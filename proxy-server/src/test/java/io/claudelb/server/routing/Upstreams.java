package io.claudelb.server.routing;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.BetaFilter;
import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** Builds upstream, route and target records for the routing tests. */
final class Upstreams {
    static final TimeoutSettings FAST = new TimeoutSettings(Duration.ofSeconds(2), Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    private Upstreams() {
    }

    static UpstreamConfig of(String name, UpstreamKind kind, String baseUrl, UpstreamAuth auth) {
        return of(name, kind, baseUrl, auth, null, null);
    }

    static UpstreamConfig of(String name, UpstreamKind kind, String baseUrl, UpstreamAuth auth, BetaFilter betas,
                             OutboundProxy proxy) {
        return UpstreamConfig.builder(name, kind).baseUrl(baseUrl).auth(auth).timeouts(FAST)
                .countTokens(kind == UpstreamKind.ANTHROPIC).betas(betas).proxy(proxy).build();
    }

    static UpstreamAuth passthrough() {
        return new UpstreamAuth(AuthType.PASSTHROUGH, null, null, null, null, null);
    }

    static UpstreamAuth databricksOauth(String baseUrl, String clientId, String clientSecret) {
        URI base = URI.create(baseUrl);
        return new UpstreamAuth(AuthType.DATABRICKS_OAUTH, null, Secret.of(clientId), Secret.of(clientSecret),
                URI.create(base.getScheme() + "://" + base.getRawAuthority() + "/oidc/v1/token"), null);
    }

    static UpstreamAuth oauthRefresh(String tokenUrl, String refreshToken, String clientId) {
        return new UpstreamAuth(AuthType.OAUTH_REFRESH, null, Secret.of(clientId), null, URI.create(tokenUrl),
                Secret.of(refreshToken));
    }

    static RouteConfig route(String match, TargetConfig... targets) {
        return new RouteConfig(match, Arrays.asList(targets), null);
    }

    static RouteConfig route(String match, List<TargetConfig> targets) {
        return new RouteConfig(match, targets, null);
    }

    static TargetConfig to(String upstream) {
        return new TargetConfig(upstream, null, 0, 0);
    }

    static TargetConfig to(String upstream, String model) {
        return new TargetConfig(upstream, model, 0, 0);
    }

    static TargetConfig to(String upstream, String model, int priority) {
        return new TargetConfig(upstream, model, priority, 0);
    }
}
