package io.claudelb.core.route;

import io.claudelb.core.config.UpstreamConfig;

/**
 * One resolved candidate of a routed request.
 *
 * @param upstream the upstream
 * @param model    the model name to send, or null to keep the client's bytes untouched
 * @param priority lower first for the priority strategy
 * @param weight   share for weighted strategies (>= 1)
 */
public record Target(UpstreamConfig upstream, String model, int priority, int weight) {
    public String name() {
        return upstream.name();
    }
}
