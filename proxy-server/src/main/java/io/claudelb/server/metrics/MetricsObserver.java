package io.claudelb.server.metrics;

import io.claudelb.server.observe.AttemptRecord;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.ExchangeObserver;
import io.claudelb.server.observe.UsageCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@link ExchangeObserver} behind {@code /metrics}: turns every finished request into counts and histograms of
 * its registry: requests by endpoint, client, upstream, model family, target model, status class and outcome; time
 * to first byte, duration and proxy overhead; tokens by kind; failed attempts and failovers by error kind; in-band
 * stream errors by type; coalescing roles. Label values come from {@link SeriesLabels}, so the number of series stays bounded whatever
 * callers send. Runs on the request's event loop: one map lookup per series (meters are created once per label set
 * and cached), no lock, no I/O.
 */
public final class MetricsObserver implements ExchangeObserver {
    static final String REQUESTS = "claude_lb.requests";
    static final String TTFB = "gen_ai.server.time_to_first_token";
    static final String DURATION = "claude_lb.request.duration";
    static final String OVERHEAD = "claude_lb.proxy.overhead";
    static final String TOKENS = "gen_ai.client.token.usage";
    static final String ATTEMPT_FAILURES = "claude_lb.upstream.attempt.failures";
    static final String FAILOVERS = "claude_lb.failovers";
    static final String COALESCING = "claude_lb.coalescing.requests";
    static final String STREAM_ERRORS = "claude_lb.stream.errors";

    /** OpenTelemetry GenAI's advised buckets for time to first token, in seconds. */
    private static final Duration[] TTFB_BUCKETS = seconds(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25,
            0.5, 0.75, 1, 2.5, 5, 7.5, 10);
    /** OpenTelemetry GenAI's advised buckets for an operation's duration, plus the long tail of agent turns. */
    private static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56,
            5.12, 10.24, 20.48, 40.96, 81.92, 163.84, 327.68);
    /** What claude-lb adds is meant to be well under a millisecond: fine buckets there. */
    private static final Duration[] OVERHEAD_BUCKETS = seconds(0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
            0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1);
    /** OpenTelemetry GenAI's advised buckets for token counts (powers of 4). */
    private static final double[] TOKEN_BUCKETS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
            4194304, 16777216, 67108864};
    private static final String[] TOKEN_TYPES = {"input", "output", "cache_read", "cache_write_5m", "cache_write_1h"};

    private final MeterRegistry registry;
    private final SeriesLabels labels;
    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<LatencyKey, Latencies> latencies = new ConcurrentHashMap<>();
    private final Map<TokenKey, DistributionSummary[]> tokens = new ConcurrentHashMap<>();
    private final Map<FailureKey, Counter> attemptFailures = new ConcurrentHashMap<>();
    private final Map<FailureKey, Counter> failovers = new ConcurrentHashMap<>();
    private final Map<FailureKey, Counter> streamErrors = new ConcurrentHashMap<>();
    private final Counter[] roles = new Counter[CoalescingRole.values().length];

    MetricsObserver(MeterRegistry registry, SeriesLabels labels) {
        this.registry = registry;
        this.labels = labels;
        for (CoalescingRole role : CoalescingRole.values()) {
            if (role != CoalescingRole.OFF) {
                roles[role.ordinal()] = Counter.builder(COALESCING).tag("role", role.wireName())
                        .description("Requests answered by in-flight coalescing, by role: leader (made the upstream "
                                + "call), follower (a live copy), replay (a completed copy)")
                        .register(registry);
            }
        }
    }

    private record RequestKey(String endpoint, String client, String upstream, String family, String target,
                              String status, String outcome) {
    }

    private record LatencyKey(String upstream, String family, String target, boolean stream) {
    }

    private record TokenKey(String client, String upstream, String target) {
    }

    private record FailureKey(String upstream, String kind) {
    }

    private record Latencies(Timer ttfb, Timer duration, Timer overhead) {
    }

    @Override
    public void exchangeEnded(ExchangeEvent e) {
        String endpoint = endpoint(e);
        String upstream = labels.upstream(e.upstream());
        String family = SeriesLabels.family(e.requestedModel());
        String target = labels.targetModel(e.targetModel());
        requests.computeIfAbsent(new RequestKey(endpoint, labels.client(e.clientName()), upstream, family, target,
                SeriesLabels.statusClass(e.status()), e.outcome().wireName()), this::requestCounter).increment();
        if (e.role() != CoalescingRole.OFF) {
            roles[e.role().ordinal()].increment();
        }
        if (endpoint.equals("local")) {
            return;
        }
        Latencies l = latencies.computeIfAbsent(new LatencyKey(upstream, family, target, e.stream()), this::latencies);
        l.duration().record(e.durationNanos(), TimeUnit.NANOSECONDS);
        if (e.ttfbNanos() >= 0 && !e.answeredLocally()) {
            l.ttfb().record(e.ttfbNanos(), TimeUnit.NANOSECONDS);
            if (e.role().calledUpstream()) {
                // A follower's head came from its leader's call: its "overhead" would be the leader's whole wait.
                l.overhead().record(e.proxyOverheadNanos(), TimeUnit.NANOSECONDS);
            }
        }
        attempts(e.attempts());
        if (e.inBandErrorType() != null) {
            streamErrors.computeIfAbsent(new FailureKey(upstream, SeriesLabels.errorType(e.inBandErrorType())),
                    k -> Counter.builder(STREAM_ERRORS).tags("upstream", k.upstream(), "error_type", k.kind())
                            .description("Answers whose stream carried an upstream's event: error after it reached "
                                    + "the client (too late to fail over), by error type")
                            .register(registry)).increment();
        }
        UsageCounts u = e.usage();
        if (u != null && e.role().calledUpstream()) {
            // Followers and replays reuse the leader's tokens: counting them again would bill them twice.
            DistributionSummary[] t = tokens.computeIfAbsent(new TokenKey(labels.client(e.clientName()), upstream,
                    target), this::tokenSummaries);
            record(t[0], u.input());
            record(t[1], u.output());
            record(t[2], u.cacheRead());
            record(t[3], u.cacheWrite5m());
            record(t[4], u.cacheWrite1h());
        }
    }

    private void attempts(List<AttemptRecord> attempts) {
        for (int i = 0; i < attempts.size(); i++) {
            AttemptRecord a = attempts.get(i);
            if (a.failure() == null) {
                continue;
            }
            FailureKey key = new FailureKey(labels.upstream(a.upstream()), SeriesLabels.errorKind(a.failure()));
            attemptFailures.computeIfAbsent(key, k -> Counter.builder(ATTEMPT_FAILURES)
                    .tags("upstream", k.upstream(), "error_kind", k.kind())
                    .description("Upstream attempts that failed, by upstream and failure kind")
                    .register(registry)).increment();
            if (i + 1 < attempts.size()) {
                failovers.computeIfAbsent(key, k -> Counter.builder(FAILOVERS)
                        .tags("upstream", k.upstream(), "error_kind", k.kind())
                        .description("Failed attempts followed by another upstream (failed upstream, why)")
                        .register(registry)).increment();
            }
        }
    }

    private static void record(DistributionSummary summary, long count) {
        if (count > 0) {
            summary.record(count);
        }
    }

    /** {@code messages}, {@code count_tokens}, or {@code local} for everything claude-lb answers itself. */
    private static String endpoint(ExchangeEvent e) {
        if (e.countTokens()) {
            return "count_tokens";
        }
        return e.path().equals("/v1/messages") ? "messages" : "local";
    }

    private Counter requestCounter(RequestKey k) {
        return Counter.builder(REQUESTS)
                .tags("endpoint", k.endpoint(), "client", k.client(), "upstream", k.upstream(),
                        "model_family", k.family(), "target_model", k.target(), "status_class", k.status(),
                        "outcome", k.outcome())
                .description("Requests finished, local answers (401s, probes, admin calls) included")
                .register(registry);
    }

    private Latencies latencies(LatencyKey k) {
        String[] tags = {"upstream", k.upstream(), "model_family", k.family(), "target_model", k.target(),
                "stream", Boolean.toString(k.stream())};
        return new Latencies(
                Timer.builder(TTFB).tags(tags).serviceLevelObjectives(TTFB_BUCKETS)
                        .description("From receipt of the request to its answer's head reaching the client")
                        .register(registry),
                Timer.builder(DURATION).tags(tags).serviceLevelObjectives(DURATION_BUCKETS)
                        .description("From receipt of the request to the end of its answer")
                        .register(registry),
                Timer.builder(OVERHEAD).tags(tags).serviceLevelObjectives(OVERHEAD_BUCKETS)
                        .description("The part of the time to first byte claude-lb added itself: routing, "
                                + "connecting, writing, relaying the head (time waiting on upstreams left out)")
                        .register(registry));
    }

    private DistributionSummary[] tokenSummaries(TokenKey k) {
        DistributionSummary[] s = new DistributionSummary[TOKEN_TYPES.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = DistributionSummary.builder(TOKENS)
                    .tags("gen_ai_token_type", TOKEN_TYPES[i], "client", k.client(), "upstream", k.upstream(),
                            "target_model", k.target())
                    .serviceLevelObjectives(TOKEN_BUCKETS)
                    .description("Tokens per upstream call by kind (cache writes split by their 5m / 1h TTL); "
                            + "_sum is the total")
                    .register(registry);
        }
        return s;
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return d;
    }
}
