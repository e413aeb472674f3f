package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Failover from every upstream kind to every other before the first byte, through claude-lb over each kind's own mock
 * (Bedrock's checking SigV4 signatures, Vertex's the tokens it issued): the first kind fails as it does when
 * overloaded or throttled ({@link KindUnderTest#failEveryRequest}), the client gets the second kind's stream whole
 * and clean, and the failed upstream is counted in {@code /stats} as any upstream's failure of that kind is (its
 * breaker's consecutive failures, its cooldown when it asked for one).
 */
class FailoverBetweenKindsTest {
    @TempDir
    Path dir;
    private MockUpstream failing;
    private MockUpstream serving;
    private ProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        failing.close();
        serving.close();
    }

    static Stream<Arguments> pairs() {
        return Arrays.stream(KindUnderTest.values()).flatMap(from -> Arrays.stream(KindUnderTest.values())
                .filter(to -> to != from).map(to -> Arguments.of(from, to)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("pairs")
    void aFailingKindFailsOverToAnotherBeforeTheFirstByte(KindUnderTest from, KindUnderTest to) throws Exception {
        failing = MockUpstream.start(MockOptions.builder().name(from.upstream()).build());
        serving = MockUpstream.start(MockOptions.builder().name(to.upstream()).build());
        TestConfigs config = TestConfigs.proxy();
        from.addTo(config, failing, dir);
        to.addTo(config, serving, dir);
        proxy = ProxyServer.start(config.route(new RouteConfig("*", List.of(from.target(0), to.target(1)),
                Strategy.PRIORITY)).build(), NanoClock.SYSTEM, "test");
        from.failEveryRequest(failing);

        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true)));

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo(to.upstream());
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        List<Sse.Event> events = r.events();
        assertThat(events).extracting(Sse.Event::event).startsWith("message_start").endsWith("message_stop")
                .doesNotContain("error");
        assertThat(events).filteredOn(e -> "content_block_delta".equals(e.event())).isNotEmpty();
        assertThat(KindUnderTest.messageCalls(failing)).hasSize(1);
        assertThat(KindUnderTest.messageCalls(serving)).hasSize(1);

        Json stats = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats")).json();
        Json failed = stats.named("endpoints", from.upstream());
        assertThat(failed.number("total_errors")).isEqualTo(1);
        assertThat(failed.number("errors_by_kind." + from.failureKind())).isEqualTo(1);
        assertThat(failed.number("consecutive_failures")).isEqualTo(1);
        if (from.asksForCooldown()) {
            assertThat(failed.decimal("cooldown_seconds")).isGreaterThan(25.0);
            assertThat(failed.bool("available")).isFalse();
        }
        Json served = stats.named("endpoints", to.upstream());
        assertThat(served.number("total_errors")).isZero();
        assertThat(served.number("successes")).isEqualTo(1);
    }
}
