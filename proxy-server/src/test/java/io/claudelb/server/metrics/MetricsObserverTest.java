package io.claudelb.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.observe.AttemptRecord;
import io.claudelb.server.observe.CoalescingRole;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.observe.Outcome;
import io.claudelb.server.observe.UsageCounts;
import io.claudelb.server.support.TestConfigs;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The observer's series, event by event, without sockets: which series each kind of request touches, with which
 * labels, and that no caller can grow the label sets (unknown clients, upstreams and models collapse to "other").
 */
class MetricsObserverTest {
    private static final long MS = 1_000_000;

    private MeterRegistry registry;
    private SeriesLabels labels;
    private MetricsObserver observer;

    @BeforeEach
    void setUp() {
        GatewayConfig config = TestConfigs.proxy().anthropic("a", "http://127.0.0.1:1").anthropic("b",
                "http://127.0.0.1:2").client("alice", "k1")
                .route(new RouteConfig("*opus*", List.of(new TargetConfig("a", "claude-opus-4-7", 0, 0)), null))
                .build();
        registry = new SimpleMeterRegistry();
        labels = new SeriesLabels(config);
        observer = new MetricsObserver(registry, labels);
    }

    private static ExchangeEvent event(String client, String model, List<AttemptRecord> attempts, int status,
                                       CoalescingRole role, UsageCounts usage) {
        return new ExchangeEvent("lbreq_1", 0, "POST", "/v1/messages", client, null, model, true, false, attempts,
                status, Outcome.COMPLETED, false, null, 120 * MS, 900 * MS, 100 * MS, 1_000, usage, role);
    }

    private double count(String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aRelayedStreamCountsItsRequestLatenciesAndTokens() {
        observer.exchangeEnded(event("alice", "claude-opus-4-7", List.of(new AttemptRecord("a", "claude-opus-4-7",
                null)), 200, CoalescingRole.LEADER, new UsageCounts(10, 20, 300, 40, 5)));

        assertThat(count(MetricsObserver.REQUESTS, "endpoint", "messages", "client", "alice", "upstream", "a",
                "model_family", "opus", "target_model", "claude-opus-4-7", "status_class", "2xx",
                "outcome", "completed")).isEqualTo(1);
        Timer ttfb = registry.find(MetricsObserver.TTFB).tags("upstream", "a", "stream", "true").timer();
        assertThat(ttfb.count()).isEqualTo(1);
        assertThat(ttfb.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(120);
        assertThat(registry.find(MetricsObserver.OVERHEAD).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(20);
        assertThat(registry.find(MetricsObserver.DURATION).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(900);
        assertThat(tokens("input")).isEqualTo(10);
        assertThat(tokens("output")).isEqualTo(20);
        assertThat(tokens("cache_read")).isEqualTo(300);
        assertThat(tokens("cache_write_5m")).isEqualTo(40);
        assertThat(tokens("cache_write_1h")).isEqualTo(5);
        assertThat(count(MetricsObserver.COALESCING, "role", "leader")).isEqualTo(1);
        assertThat(registry.find(MetricsObserver.FAILOVERS).counters()).isEmpty();
    }

    private double tokens(String type) {
        return registry.find(MetricsObserver.TOKENS).tags("gen_ai_token_type", type, "client", "alice")
                .summary().totalAmount();
    }

    @Test
    void failedAttemptsAndFailoversByKind() {
        observer.exchangeEnded(event("alice", "claude-sonnet-4-5", List.of(
                new AttemptRecord("b", "claude-sonnet-4-5", FailureKind.HTTP_529),
                new AttemptRecord("a", "claude-sonnet-4-5", FailureKind.CONNECT_REFUSED),
                new AttemptRecord("b", "claude-sonnet-4-5", FailureKind.HTTP_529)), 529, CoalescingRole.OFF, null));

        assertThat(count(MetricsObserver.ATTEMPT_FAILURES, "upstream", "b", "error_kind", "http_529")).isEqualTo(2);
        assertThat(count(MetricsObserver.ATTEMPT_FAILURES, "upstream", "a", "error_kind", "connect_refused"))
                .isEqualTo(1);
        // The last failure was not followed by another attempt: two failovers, not three.
        assertThat(count(MetricsObserver.FAILOVERS)).isEqualTo(2);
        assertThat(count(MetricsObserver.FAILOVERS, "upstream", "b", "error_kind", "http_529")).isEqualTo(1);
        assertThat(count(MetricsObserver.REQUESTS, "upstream", "b", "status_class", "5xx")).isEqualTo(1);
        assertThat(registry.find(MetricsObserver.TOKENS).summaries()).isEmpty();
    }

    @Test
    void followersCountTheirRoleButNotTheLeadersTokensNorAnOverhead() {
        observer.exchangeEnded(event("alice", "claude-opus-4-7", List.of(new AttemptRecord("a", "claude-opus-4-7",
                null)), 200, CoalescingRole.FOLLOWER, new UsageCounts(10, 20, 0, 0, 0)));

        assertThat(count(MetricsObserver.COALESCING, "role", "follower")).isEqualTo(1);
        assertThat(registry.find(MetricsObserver.TOKENS).summaries()).isEmpty();
        assertThat(registry.find(MetricsObserver.TTFB).timer().count()).isEqualTo(1);
        assertThat(registry.find(MetricsObserver.OVERHEAD).timer().count()).isZero();
    }

    @Test
    void inBandStreamErrorsByAnthropicType() {
        for (String type : List.of("overloaded_error", "overloaded_error", "something_new")) {
            observer.exchangeEnded(new ExchangeEvent("lbreq_3", 0, "POST", "/v1/messages", "alice", null,
                    "claude-opus-4-7", true, false, List.of(new AttemptRecord("a", "claude-opus-4-7", null)), 200,
                    Outcome.COMPLETED, false, type, MS, MS, 0, 15, null, CoalescingRole.OFF));
        }
        assertThat(count(MetricsObserver.STREAM_ERRORS, "upstream", "a", "error_type", "overloaded_error"))
                .isEqualTo(2);
        assertThat(count(MetricsObserver.STREAM_ERRORS, "error_type", "other")).isEqualTo(1);
    }

    @Test
    void localAnswersAreCountedWithoutLatencies() {
        observer.exchangeEnded(new ExchangeEvent("lbreq_2", 0, "GET", "/livez", null, null, null, false, false,
                List.of(), 200, Outcome.COMPLETED, true, null, MS, MS, 0, 15, null, CoalescingRole.OFF));

        assertThat(count(MetricsObserver.REQUESTS, "endpoint", "local", "client", "none", "upstream", "none",
                "model_family", "none", "target_model", "none", "status_class", "2xx")).isEqualTo(1);
        assertThat(registry.find(MetricsObserver.DURATION).timers()).isEmpty();
    }

    @Test
    void labelSetsStayBoundedWhateverCallersSend() {
        for (int i = 0; i < 500; i++) {
            observer.exchangeEnded(event("client-" + i, "model-" + i, List.of(new AttemptRecord("gone-" + i,
                    "model-" + i, FailureKind.HTTP_500)), 100 + i, CoalescingRole.OFF, null));
        }
        // A configured target model keeps its own name even once the passed-through ones are used up.
        observer.exchangeEnded(event("alice", "claude-opus-4-7", List.of(new AttemptRecord("a", "claude-opus-4-7",
                null)), 200, CoalescingRole.OFF, null));

        Set<String> clients = tagValues(MetricsObserver.REQUESTS, "client");
        Set<String> upstreams = tagValues(MetricsObserver.REQUESTS, "upstream");
        Set<String> models = tagValues(MetricsObserver.REQUESTS, "target_model");
        Set<String> families = tagValues(MetricsObserver.REQUESTS, "model_family");
        Set<String> statuses = tagValues(MetricsObserver.REQUESTS, "status_class");
        assertThat(clients).containsExactlyInAnyOrder("other", "alice");
        assertThat(upstreams).containsExactlyInAnyOrder("other", "a");
        assertThat(models).hasSize(SeriesLabels.MAX_OTHER_MODELS + 2).contains("other", "claude-opus-4-7");
        assertThat(families).containsExactlyInAnyOrder("other", "opus");
        assertThat(statuses).containsExactlyInAnyOrder("1xx", "2xx", "3xx", "4xx", "5xx");
        assertThat(tagValues(MetricsObserver.ATTEMPT_FAILURES, "upstream")).containsExactly("other");
        assertThat(count(MetricsObserver.REQUESTS)).isEqualTo(501);
        // Once the bounded sets are used up, requests with names never seen add no series at all.
        int meters = registry.getMeters().size();
        for (int i = 500; i < 1_000; i++) {
            observer.exchangeEnded(event("client-" + i, "model-" + i, List.of(new AttemptRecord("gone-" + i,
                    "model-" + i, FailureKind.HTTP_500)), 400 + i % 100, CoalescingRole.OFF, null));
        }
        assertThat(registry.getMeters()).hasSize(meters);
    }

    @Test
    void aReloadChangesWhichNamesAreKnown() {
        labels.reconfigure(TestConfigs.proxy().anthropic("c", "http://127.0.0.1:3").client("carol", "k3").build());
        assertThat(labels.upstream("a")).isEqualTo("other");
        assertThat(labels.upstream("c")).isEqualTo("c");
        assertThat(labels.client("alice")).isEqualTo("other");
        assertThat(labels.client("carol")).isEqualTo("carol");
        assertThat(SeriesLabels.family("databricks-claude-haiku-4-5")).isEqualTo("haiku");
        assertThat(SeriesLabels.family("gpt-5")).isEqualTo("other");
        assertThat(SeriesLabels.statusClass(0)).isEqualTo("none");
    }

    private Set<String> tagValues(String name, String tag) {
        Set<String> values = new HashSet<>();
        for (Meter m : registry.find(name).meters()) {
            values.add(m.getId().getTag(tag));
        }
        return values;
    }
}
