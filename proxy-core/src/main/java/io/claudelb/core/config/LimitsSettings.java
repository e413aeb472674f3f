package io.claudelb.core.config;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;

/**
 * {@code limits:} (and each {@code clients[].limits}): what every client key, and every session, is held to.
 *
 * @param defaults                  {@code limits.default}: every client without limits of its own, and the
 *                                  anonymous caller when no client keys are configured
 * @param sessionRequestsPerMinute  {@code limits.session.requests_per_minute}: per session of a client (an agent
 *                                  loop is stopped without blocking the developer's other sessions); 0 = none
 * @param clients                   client name -> its limits, already merged over {@code defaults}
 * @param timezone                  where days, weeks and months of budgets and reports begin ({@code UTC})
 */
public record LimitsSettings(ClientLimits defaults, long sessionRequestsPerMinute, Map<String, ClientLimits> clients,
                             ZoneId timezone) {
    public static final LimitsSettings NONE = new LimitsSettings(ClientLimits.NONE, 0, Map.of(), ZoneOffset.UTC);

    public LimitsSettings {
        Objects.requireNonNull(defaults, "default");
        Checks.range("session.requests_per_minute", sessionRequestsPerMinute, 0, 1_000_000_000L);
        clients = Map.copyOf(clients);
        Objects.requireNonNull(timezone, "timezone");
    }

    /** The limits of {@code client} (null: the anonymous caller of a proxy without client keys). */
    public ClientLimits forClient(String client) {
        return client == null ? defaults : clients.getOrDefault(client, defaults);
    }

    /** Whether any limit is configured at all (else admission is a no-op). */
    public boolean any() {
        return defaults.any() || sessionRequestsPerMinute > 0 || clients.values().stream().anyMatch(ClientLimits::any);
    }
}
