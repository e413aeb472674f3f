package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed B's body field {@code provider} and the {@code x-claude-lb-upstream} header pick one of a route's targets. */
class ForcedUpstreamTest {
    private static MockUpstream first;
    private static MockUpstream second;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        first = MockUpstream.start(MockOptions.builder().name("first").ioThreads(1).build());
        second = MockUpstream.start(MockOptions.builder().name("second").ioThreads(1).build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .upstream(Upstreams.of("first", UpstreamKind.ANTHROPIC, first.baseUrl(), UpstreamAuth.none()))
                .upstream(Upstreams.of("second", UpstreamKind.ANTHROPIC, second.baseUrl(), UpstreamAuth.none()))
                .upstream(Upstreams.of("elsewhere", UpstreamKind.ANTHROPIC, second.baseUrl(), UpstreamAuth.none()))
                .route(route("*sonnet*", to("first", null, 0), to("second", "claude-sonnet-4-5-20250929", 1)))
                .route(route("*", to("elsewhere")))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() {
        proxy.stop(Duration.ofSeconds(2));
        first.close();
        second.close();
    }

    @BeforeEach
    void clear() {
        first.clearRequests();
        second.clearRequests();
    }

    @Test
    void theBodyFieldProviderPicksTheTargetAndIsRemovedBeforeForwarding() {
        for (int i = 0; i < 3; i++) {
            String body = "{\"model\":\"claude-sonnet-4-5\",\"provider\":\"second\",\"max_tokens\":8,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
            Http.Reply r = Http.post(proxy, "/v1/messages", body);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("x-claude-lb-upstream")).isEqualTo("second");
        }
        assertThat(first.requests()).isEmpty();
        assertThat(second.requests()).hasSize(3).allSatisfy(req -> assertThat(req.bodyText()).isEqualTo(
                "{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":8,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    }

    @Test
    void theHeaderPicksTheTargetWinsOverTheBodyAndIsNotForwarded() {
        String body = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[],\"provider\":\"second\"}";
        Http.Reply r = Http.post(proxy, "/v1/messages", body, "x-claude-lb-upstream", "first");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("first");
        assertThat(second.requests()).isEmpty();
        assertThat(first.requests().get(0).header("x-claude-lb-upstream")).isNull();
        assertThat(first.requests().get(0).bodyText())
                .isEqualTo("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":8,\"messages\":[]}");
    }

    @Test
    void anUnknownUpstreamOrOneThatIsNotATargetIs404() {
        Http.Reply unknown = Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"),
                "x-claude-lb-upstream", "nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.field("error.type")).isEqualTo("not_found_error");
        assertThat(unknown.field("error.message")).isEqualTo("No upstream named 'nope'.");
        Http.Reply notTarget = Http.post(proxy, "/v1/messages",
                "{\"model\":\"claude-sonnet-4-5\",\"provider\":\"elsewhere\",\"messages\":[]}");
        assertThat(notTarget.status()).isEqualTo(404);
        assertThat(notTarget.field("error.message"))
                .isEqualTo("Upstream 'elsewhere' does not serve model 'claude-sonnet-4-5'.");
        assertThat(first.requests()).isEmpty();
        assertThat(second.requests()).isEmpty();
    }
}
