package io.claudelb.server.gateway;

import io.claudelb.core.balance.Balancer;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.route.Router;

/**
 * Everything derived from one config: an exchange captures the snapshot current when it starts and finishes on it,
 * so a reload never changes the rules under a running stream.
 */
public record ConfigSnapshot(GatewayConfig config, Router router, Balancer balancer, FailureClassifier classifier) {
}
