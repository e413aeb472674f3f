package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.OutboundProxy;
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
import org.junit.jupiter.api.Test;

/**
 * Upstreams and outbound proxies given by host NAME are resolved without blocking an event loop (the suite's
 * blocking-call detector fails these tests on a JDK lookup there), from /etc/hosts for localhost, and a tunnelled
 * upstream's name goes to the proxy unresolved, in its CONNECT line.
 */
class HostNameUpstreamsTest {
    private static MockUpstream mock;
    private static TestConnectProxy corporate;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        mock = MockUpstream.start(MockOptions.builder().name("by-name").ioThreads(1).build());
        corporate = new TestConnectProxy(null, null);
        OutboundProxy byName = new OutboundProxy("localhost",
                Integer.parseInt(corporate.url().substring(corporate.url().lastIndexOf(':') + 1)), null, null);
        String byNameUrl = "http://localhost:" + mock.port();
        proxy = ProxyServer.start(TestConfigs.proxy().ioThreads(1)
                .upstream(Upstreams.of("direct", UpstreamKind.ANTHROPIC, byNameUrl, UpstreamAuth.none()))
                .upstream(Upstreams.of("tunnelled", UpstreamKind.ANTHROPIC, byNameUrl, UpstreamAuth.none(), null,
                        byName))
                .route(route("*haiku*", to("tunnelled")))
                .route(route("*", to("direct")))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop(Duration.ofSeconds(2));
        corporate.close();
        mock.close();
    }

    @Test
    void anUpstreamGivenByHostNameIsReached() {
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("direct");
    }

    @Test
    void aProxyGivenByHostNameIsAskedToConnectToTheUpstreamsName() {
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("claude-haiku-4-5"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("tunnelled");
        assertThat(corporate.connects()).extracting(TestConnectProxy.Connect::target)
                .contains("localhost:" + mock.port());
    }
}
