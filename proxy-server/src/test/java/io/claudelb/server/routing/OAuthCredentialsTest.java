package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockAuth;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockTokens;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * databricks_oauth and oauth_refresh against mocks that issue short-lived tokens and reject anything else: the token
 * request's shape, caching, refresh on expiry, one fetch for concurrent requests, the 401 renew-and-retry, a refusing
 * token endpoint, and rotated refresh tokens. Proxy and mocks share a fake clock, so expiry needs no waiting.
 */
class OAuthCredentialsTest {
    private final FakeClock clock = new FakeClock();
    private MockUpstream workspace;
    private MockUpstream backup;
    private MockUpstream relay;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        MockAuth strict = MockAuth.builder().requireBearer(true).tokenLifetime(Duration.ofSeconds(100))
                .clock(clock).build();
        workspace = MockUpstream.start(MockOptions.builder().name("ws").ioThreads(1)
                .auth(strict.toBuilder().client("sp-id", "sp-secret").tokenDelay(Duration.ofMillis(300)).build())
                .build());
        relay = MockUpstream.start(MockOptions.builder().name("relay").ioThreads(1)
                .auth(strict.toBuilder().client("relay-client", null).refreshToken("rt-initial").build()).build());
        backup = MockUpstream.start(MockOptions.builder().name("backup").ioThreads(1).build());
        proxy = ProxyServer.start(config(1), clock, "test");
    }

    /** The three upstreams, the relay with {@code relayWeight}. */
    private GatewayConfig config(int relayWeight) {
        String ws = workspace.baseUrl() + "/serving-endpoints";
        return TestConfigs.proxy()
                .upstream(Upstreams.of("ws", UpstreamKind.DATABRICKS, ws,
                        Upstreams.databricksOauth(ws, "sp-id", "sp-secret")))
                .upstream(Upstreams.of("relay", UpstreamKind.ANTHROPIC, relay.baseUrl(),
                        Upstreams.oauthRefresh(relay.baseUrl() + "/oauth/token", "rt-initial", "relay-client"))
                        .toBuilder().weight(relayWeight).build())
                .upstream(Upstreams.of("backup", UpstreamKind.ANTHROPIC, backup.baseUrl(), UpstreamAuth.none()))
                .route(route("*opus*", to("ws")))
                .route(new RouteConfig("*fallback*", List.of(to("ws", null, 0), to("backup", null, 1)),
                        Strategy.PRIORITY))
                .route(route("*sonnet*", to("relay")))
                .build();
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(2));
        workspace.close();
        relay.close();
        backup.close();
    }

    private List<RecordedRequest> requests(MockUpstream mock, String pathEnd) {
        return mock.requests().stream().filter(r -> r.uri().endsWith(pathEnd)).toList();
    }

    private Http.Reply opus() {
        return Http.post(proxy, "/v1/messages", Http.messages("claude-opus-4-5"));
    }

    @Test
    void m2mTokenIsFetchedWithBasicClientCredentialsCachedAndSentAsBearer() {
        assertThat(opus().status()).isEqualTo(200);
        assertThat(opus().status()).isEqualTo(200);
        List<RecordedRequest> tokenCalls = requests(workspace, "/oidc/v1/token");
        assertThat(tokenCalls).hasSize(1);
        RecordedRequest call = tokenCalls.get(0);
        assertThat(call.method()).isEqualTo("POST");
        assertThat(call.header("authorization")).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString("sp-id:sp-secret".getBytes(StandardCharsets.UTF_8)));
        assertThat(call.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
        assertThat(call.bodyText()).isEqualTo("grant_type=client_credentials&scope=all-apis");
        List<RecordedRequest> model = requests(workspace, "/v1/messages");
        assertThat(model).hasSize(2).allSatisfy(r ->
                assertThat(r.header("authorization")).isEqualTo("Bearer " + MockTokens.token(1)));
        assertThat(workspace.tokens().issuedCount()).isEqualTo(1);
    }

    @Test
    void aShortLivedTokenIsReplacedBeforeItExpires() {
        assertThat(opus().status()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(50));
        assertThat(opus().status()).isEqualTo(200);
        assertThat(workspace.tokens().issuedCount()).isEqualTo(1);
        // 95 s of a 100 s token: inside its last tenth it is no longer sent; the request waits for a new one.
        clock.advance(Duration.ofSeconds(45));
        assertThat(opus().status()).isEqualTo(200);
        assertThat(workspace.tokens().issuedCount()).isEqualTo(2);
        List<RecordedRequest> model = requests(workspace, "/v1/messages");
        assertThat(model.get(2).header("authorization")).isEqualTo("Bearer " + MockTokens.token(2));
        assertThat(model).hasSize(3);
    }

    @Test
    void concurrentRequestsShareOneTokenFetch() {
        List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            replies.add(Http.postAsync(proxy, "/v1/messages", Http.messages("claude-opus-4-5"),
                    "x-claude-code-session-id", "s" + i));
        }
        for (CompletableFuture<Http.Reply> r : replies) {
            assertThat(r.join().status()).isEqualTo(200);
        }
        assertThat(workspace.tokens().issuedCount()).isEqualTo(1);
        assertThat(requests(workspace, "/oidc/v1/token")).hasSize(1);
    }

    @Test
    void anUpstream401RenewsTheTokenAndRetriesTheSameUpstreamOnce() {
        assertThat(opus().status()).isEqualTo(200);
        workspace.tokens().revokeAll();
        workspace.clearRequests();
        Http.Reply r = opus();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("x-claude-lb-upstream")).isEqualTo("ws");
        List<RecordedRequest> model = requests(workspace, "/v1/messages");
        assertThat(model).extracting(m -> m.header("authorization"))
                .containsExactly("Bearer " + MockTokens.token(1), "Bearer " + MockTokens.token(2));
        assertThat(workspace.tokens().issuedCount()).isEqualTo(2);
        // The renewal is not the upstream's failure.
        assertThat(totalErrors("ws")).isZero();
    }

    @Test
    void aSecond401InTheSameExchangeIsAnUpstreamAuthFailureThatFailsOver() {
        // Every mock answers this request 401: ws twice (the renewal retry), then the next target once.
        Http.Reply r = Http.post(proxy, "/v1/messages", Http.messages("claude-fallback"), "x-mock-status", "401");
        assertThat(requests(workspace, "/v1/messages")).hasSize(2);
        assertThat(workspace.tokens().issuedCount()).isEqualTo(2);
        assertThat(requests(backup, "/v1/messages")).hasSize(1);
        // Two counted attempts (the renewal is not one), both upstream_auth: answered for all of them.
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.field("error.message")).contains("All 2 upstream attempt(s)").contains("upstream_auth");
        assertThat(totalErrors("ws")).isEqualTo(1);
    }

    @Test
    void aRefusingTokenEndpointMakesTheUpstreamFailWithoutLeakingAnything() {
        workspace.tokens().rejectTokenRequests(true);
        Http.Reply failover = Http.post(proxy, "/v1/messages", Http.messages("claude-fallback"));
        assertThat(failover.status()).isEqualTo(200);
        assertThat(failover.header("x-claude-lb-upstream")).isEqualTo("backup");
        assertThat(requests(workspace, "/v1/messages")).isEmpty();

        Http.Reply only = opus();
        assertThat(only.status()).isEqualTo(503);
        assertThat(only.field("error.type")).isEqualTo("api_error");
        assertThat(only.field("error.message")).contains("upstream_auth")
                .doesNotContain("sp-secret", "127.0.0.1", "oidc");
        workspace.tokens().rejectTokenRequests(false);
        assertThat(opus().status()).isEqualTo(200);
    }

    @Test
    void refreshTokenGrantSendsTheClientIdAndKeepsRotatedRefreshTokens() {
        Http.Reply first = Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"));
        assertThat(first.status()).isEqualTo(200);
        relay.tokens().revokeAll();
        Http.Reply second = Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5"));
        assertThat(second.status()).isEqualTo(200);
        List<RecordedRequest> calls = requests(relay, "/oauth/token");
        assertThat(calls).extracting(RecordedRequest::bodyText).containsExactly(
                "grant_type=refresh_token&refresh_token=rt-initial&client_id=relay-client",
                "grant_type=refresh_token&refresh_token=mock-refresh-1&client_id=relay-client");
        assertThat(calls.get(0).header("authorization")).isNull();
        assertThat(relay.tokens().currentRefreshToken()).isEqualTo("mock-refresh-2");
    }

    /**
     * The token source is keyed by the upstream's credential, not its whole config: a reload that only changes the
     * relay's weight goes on with the refresh token the endpoint rotated to, not the file's stale {@code rt-initial}
     * (which the endpoint no longer honours after a rotation in real OAuth servers).
     */
    @Test
    void aReloadThatOnlyChangesAWeightKeepsTheRotatedRefreshToken() {
        assertThat(Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5")).status()).isEqualTo(200);
        proxy.gateway().reload(config(3));
        assertThat(proxy.gateway().snapshot().config().upstreams()).filteredOn(u -> u.name().equals("relay"))
                .singleElement().extracting(UpstreamConfig::weight).isEqualTo(3);
        relay.tokens().revokeAll();

        assertThat(Http.post(proxy, "/v1/messages", Http.messages("claude-sonnet-4-5")).status()).isEqualTo(200);

        assertThat(requests(relay, "/oauth/token")).extracting(RecordedRequest::bodyText).containsExactly(
                "grant_type=refresh_token&refresh_token=rt-initial&client_id=relay-client",
                "grant_type=refresh_token&refresh_token=mock-refresh-1&client_id=relay-client");
    }

    @Test
    void providersShowsTheAuthTypeOnly() {
        Http.Reply r = Http.get(proxy, "/providers");
        assertThat(r.body()).contains("\"auth_type\":\"databricks_oauth\"", "\"auth_type\":\"oauth_refresh\"")
                .doesNotContain("sp-secret", "rt-initial", "sp-id");
    }

    private long totalErrors(String upstream) {
        String stats = Http.get(proxy, "/stats").body();
        Matcher m = Pattern.compile("\"name\":\"" + upstream + "\"[^}]*?\"total_errors\":(\\d+)").matcher(stats);
        assertThat(m.find()).as(stats).isTrue();
        return Long.parseLong(m.group(1));
    }
}
