package io.claudelb.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code health:} circuit breaker and failure classification.
 *
 * @param failureThreshold     consecutive failures that open an upstream's breaker
 * @param openFor              how long a breaker stays open before admitting probes
 * @param halfOpenProbes       requests admitted while half-open
 * @param retryAfterCap        longest cooldown a 429/529 retry-after may impose
 * @param extraFailureStatuses upstream statuses that count as failures and fail over (e.g. 402, 520-524)
 * @param failureBodyPatterns  case-insensitive regexes; an upstream error body matching one counts and fails over
 * @param probe                active connect checks of every upstream (off by default)
 */
public record HealthSettings(int failureThreshold, Duration openFor, int halfOpenProbes, Duration retryAfterCap,
                             Set<Integer> extraFailureStatuses, List<String> failureBodyPatterns,
                             ProbeSettings probe) {
    public static final HealthSettings DEFAULTS = new HealthSettings(5, Duration.ofSeconds(60), 1,
            Duration.ofSeconds(60), Set.of(), List.of(), ProbeSettings.OFF);

    /** Without active probes. */
    public HealthSettings(int failureThreshold, Duration openFor, int halfOpenProbes, Duration retryAfterCap,
                          Set<Integer> extraFailureStatuses, List<String> failureBodyPatterns) {
        this(failureThreshold, openFor, halfOpenProbes, retryAfterCap, extraFailureStatuses, failureBodyPatterns,
                ProbeSettings.OFF);
    }

    public HealthSettings {
        Checks.range("failure_threshold", failureThreshold, 1, 1_000_000);
        Checks.positive("open_for", openFor);
        Checks.range("half_open_probes", halfOpenProbes, 1, 1_000);
        Checks.positive("retry_after_cap", retryAfterCap);
        extraFailureStatuses = Set.copyOf(extraFailureStatuses);
        for (int s : extraFailureStatuses) {
            Checks.range("extra_failure_statuses", s, 100, 599);
        }
        failureBodyPatterns = List.copyOf(failureBodyPatterns);
        if (probe == null) {
            throw new ConfigException("probe", "is required");
        }
    }
}
