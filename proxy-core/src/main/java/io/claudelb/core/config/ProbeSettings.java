package io.claudelb.core.config;

import java.time.Duration;

/**
 * {@code health.probe:} active checks, off by default: every {@code interval}, a TCP connect (and the TLS handshake
 * for https upstreams, through the upstream's proxy when it has one) to each upstream; one that does not connect
 * within {@code timeout} is unavailable until a probe connects again, so an upstream that died while idle is known
 * before a request is sent there.
 *
 * @param enabled  whether probes run
 * @param interval time between the starts of two probes of one upstream
 * @param timeout  longest a probe may take; a slower one counts as failed
 */
public record ProbeSettings(boolean enabled, Duration interval, Duration timeout) {
    public static final ProbeSettings OFF = new ProbeSettings(false, Duration.ofSeconds(10), Duration.ofSeconds(2));

    public ProbeSettings {
        Checks.positive("probe.interval", interval);
        Checks.positive("probe.timeout", timeout);
        if (timeout.compareTo(interval) > 0) {
            throw new ConfigException("probe.timeout", "must not be longer than probe.interval (" + interval + ")");
        }
    }
}
