package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BetaFilter;
import io.claudelb.core.config.OutboundProxy;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockAuth;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockTokens;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Per-upstream outbound HTTP CONNECT proxies (with Basic credentials, also for token requests, and a refusing
 * proxy) and per-upstream anthropic-beta allow and deny lists, end to end.
 */
class OutboundProxyAndBetasTest {
    private static final String BETAS = "claude-code-20250219, interleaved-thinking-2025-05-14,context-1m-2025-08-07";
    private static MockUpstream mock;
    private static MockUpstream oauthMock;
    private static TestConnectProxy corporate;
    private static ProxyServer proxy;

    @BeforeAll
    static void start() throws Exception {
        mock = MockUpstream.start(MockOptions.builder().name("behind-proxy").ioThreads(1).build());
        oauthMock = MockUpstream.start(MockOptions.builder().name("oauth-behind-proxy").ioThreads(1)
                .auth(MockAuth.builder().requireBearer(true).client("id", "secret").build()).build());
        corporate = new TestConnectProxy("proxy-user", "proxy-pass");
        OutboundProxy viaCorporate = new OutboundProxy("127.0.0.1",
                Integer.parseInt(corporate.url().substring(corporate.url().lastIndexOf(':') + 1)), "proxy-user",
                Secret.of("proxy-pass"));
        OutboundProxy wrongPassword = new OutboundProxy(viaCorporate.host(), viaCorporate.port(), "proxy-user",
                Secret.of("nope"));
        String oauthBase = oauthMock.baseUrl() + "/serving-endpoints";
        // One event loop: the start-up discovery's connections and the test's requests share its pools, so the
        // tunnel counts below do not depend on which loop accepts a connection.
        proxy = ProxyServer.start(TestConfigs.proxy().ioThreads(1)
                .upstream(Upstreams.of("via-proxy", UpstreamKind.ANTHROPIC, mock.baseUrl(),
                        UpstreamAuth.apiKey("sk-ant"), null, viaCorporate))
                .upstream(Upstreams.of("oauth-via-proxy", UpstreamKind.DATABRICKS, oauthBase,
                        Upstreams.databricksOauth(oauthBase, "id", "secret"), null, viaCorporate))
                .upstream(Upstreams.of("refused", UpstreamKind.ANTHROPIC, mock.baseUrl(),
                        UpstreamAuth.apiKey("sk-ant"), null, wrongPassword))
                .upstream(Upstreams.of("allow", UpstreamKind.ANTHROPIC, mock.baseUrl() + "/allow",
                        UpstreamAuth.none(), new BetaFilter(Set.of("claude-code-20250219"), null), null))
                .upstream(Upstreams.of("deny", UpstreamKind.ANTHROPIC, mock.baseUrl() + "/deny",
                        UpstreamAuth.none(), new BetaFilter(null, Set.of("Context-1M-2025-08-07")), null))
                .upstream(Upstreams.of("verbatim", UpstreamKind.ANTHROPIC, mock.baseUrl() + "/all",
                        UpstreamAuth.none()))
                .route(route("*haiku*", to("via-proxy")))
                .route(route("*opus*", to("oauth-via-proxy")))
                .route(route("refused-*", to("refused")))
                .route(route("allow-*", to("allow")))
                .route(route("deny-*", to("deny")))
                .route(route("*", to("verbatim")))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterAll
    static void stop() throws Exception {
        proxy.stop(Duration.ofSeconds(2));
        corporate.close();
        mock.close();
        oauthMock.close();
    }

    @BeforeEach
    void clear() {
        mock.clearRequests();
    }

    @Test
    void anUpstreamWithAProxyIsReachedThroughAConnectTunnelWithBasicCredentials() {
        int before = corporate.connects().size();
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("claude-haiku-4-5"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("via-proxy");
        List<TestConnectProxy.Connect> connects = corporate.connects().subList(before, corporate.connects().size());
        assertThat(connects).hasSize(1);
        assertThat(connects.get(0).target()).isEqualTo("127.0.0.1:" + mock.port());
        assertThat(connects.get(0).proxyAuthorization()).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("proxy-user:proxy-pass".getBytes()));
        RecordedRequest sent = mock.requests().get(0);
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant");
        assertThat(sent.header("proxy-authorization")).isNull();
    }

    @Test
    void tokenRequestsGoThroughTheUpstreamsProxyToo() {
        // The workspace's endpoint discovery at start already fetched the token and listed the endpoints: one tunnel
        // for the token endpoint's pool, one for the workspace's; the model request reuses both.
        io.claudelb.server.support.Await.until("the start-up listing", () -> oauthMock.cloud().endpointListings() == 1,
                java.time.Duration.ofSeconds(10));
        assertThat(Http.post(proxy, "/v1/messages", Http.messages("claude-opus-4-5")).status()).isEqualTo(200);
        assertThat(corporate.connects()).extracting(TestConnectProxy.Connect::target)
                .filteredOn(target -> target.equals("127.0.0.1:" + oauthMock.port())).hasSize(2);
        assertThat(oauthMock.cloud().lastListingAuthorization()).isEqualTo("Bearer " + MockTokens.token(1));
        assertThat(oauthMock.tokens().issuedCount()).isEqualTo(1);
    }

    @Test
    void aProxyThatRefusesTheCredentialsIsAConnectFailureWithNoDetailForTheClient() {
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("refused-1"));
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.field("error.message")).contains("connect_refused").doesNotContain("127.0.0.1", "nope");
        assertThat(mock.requests()).isEmpty();
    }

    private String betasSentFor(String model) {
        assertThat(Http.post(proxy, "/v1/messages", Http.messages(model), "anthropic-beta", BETAS).status())
                .isEqualTo(200);
        return mock.requests().get(mock.requests().size() - 1).header("anthropic-beta");
    }

    @Test
    void betasPassVerbatimByDefault() {
        assertThat(betasSentFor("claude-sonnet-4-5")).isEqualTo(BETAS);
    }

    @Test
    void anAllowListPassesOnlyItsFlags() {
        assertThat(betasSentFor("allow-1")).isEqualTo("claude-code-20250219");
    }

    @Test
    void aDenyListDropsItsFlagsCaseInsensitively() {
        assertThat(betasSentFor("deny-1")).isEqualTo("claude-code-20250219,interleaved-thinking-2025-05-14");
    }

    @Test
    void whenNothingIsLeftTheHeaderIsDropped() {
        assertThat(Http.post(proxy, "/v1/messages", Http.messages("allow-1"), "anthropic-beta",
                "context-1m-2025-08-07").status()).isEqualTo(200);
        assertThat(mock.requests().get(0).header("anthropic-beta")).isNull();
    }
}
