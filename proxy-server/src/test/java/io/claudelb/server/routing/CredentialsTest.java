package io.claudelb.server.routing;

import static io.claudelb.server.routing.Upstreams.route;
import static io.claudelb.server.routing.Upstreams.to;
import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.ServerSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The static credential kinds against a mock, and passthrough's rule with and without client keys: the upstream
 * gets its configured credential or the caller's own, never claude-lb's client key.
 */
class CredentialsTest {
    private static MockUpstream keyed;
    private static MockUpstream own;
    private static ProxyServer open;
    private static ProxyServer withKeys;

    @BeforeAll
    static void start() throws Exception {
        keyed = MockUpstream.start(MockOptions.builder().name("keyed").ioThreads(1).build());
        own = MockUpstream.start(MockOptions.builder().name("own").ioThreads(1).build());
        open = ProxyServer.start(config(false), NanoClock.SYSTEM, "test");
        withKeys = ProxyServer.start(config(true), NanoClock.SYSTEM, "test");
    }

    /** api_key / bearer / none upstreams behind claude-*, own-* goes to a passthrough upstream. */
    private static GatewayConfig config(boolean clientKeys) {
        TestConfigs c = TestConfigs.proxy()
                .upstream(Upstreams.of("api-key", UpstreamKind.ANTHROPIC, keyed.baseUrl() + "/a",
                        UpstreamAuth.apiKey("sk-ant-configured")))
                .upstream(Upstreams.of("bearer", UpstreamKind.ANTHROPIC, keyed.baseUrl() + "/b",
                        UpstreamAuth.bearer("relay-configured")))
                .upstream(Upstreams.of("none", UpstreamKind.ANTHROPIC, keyed.baseUrl() + "/n", UpstreamAuth.none()))
                .upstream(Upstreams.of("passthrough", UpstreamKind.ANTHROPIC, own.baseUrl(),
                        Upstreams.passthrough()))
                .route(route("key-*", to("api-key")))
                .route(route("bearer-*", to("bearer")))
                .route(route("none-*", to("none")))
                .route(route("own-*", to("passthrough")))
                .route(route("mixed-*", to("passthrough", null, 0), to("api-key", null, 1)));
        if (clientKeys) {
            c.client("alice", "lb-key-alice");
            // /v1/messages is open to callers who bring their own Anthropic credential; they reach passthrough only.
            c.server(ServerSettings.builder().host("127.0.0.1").port(0)
                    .authExemptPaths(List.of("/health", "/v1/messages")).build());
        }
        return c.build();
    }

    @AfterAll
    static void stop() {
        open.stop(Duration.ofSeconds(2));
        withKeys.stop(Duration.ofSeconds(2));
        keyed.close();
        own.close();
    }

    @BeforeEach
    void clear() {
        keyed.clearRequests();
        own.clearRequests();
    }

    private static RecordedRequest only(MockUpstream mock) {
        assertThat(mock.requests()).hasSize(1);
        return mock.requests().get(0);
    }

    @Test
    void apiKeyBearerAndNoneUpstreamsGetTheirOwnCredentialOnly() {
        Http.post(open, "/v1/messages", Http.messages("key-1"), "x-api-key", "caller-key");
        RecordedRequest a = only(keyed);
        assertThat(a.header("x-api-key")).isEqualTo("sk-ant-configured");
        assertThat(a.header("authorization")).isNull();
        keyed.clearRequests();

        Http.post(open, "/v1/messages", Http.messages("bearer-1"), "x-api-key", "caller-key");
        RecordedRequest b = only(keyed);
        assertThat(b.header("authorization")).isEqualTo("Bearer relay-configured");
        assertThat(b.header("x-api-key")).isNull();
        keyed.clearRequests();

        Http.post(open, "/v1/messages", Http.messages("none-1"), "authorization", "Bearer caller-token");
        RecordedRequest n = only(keyed);
        assertThat(n.header("authorization")).isNull();
        assertThat(n.header("x-api-key")).isNull();
    }

    @Test
    void withoutClientKeysPassthroughForwardsTheCallersOwnHeaders() {
        Http.Reply r = Http.post(open, "/v1/messages", Http.messages("own-1"), "x-api-key", "sk-ant-callers-own");
        assertThat(r.status()).isEqualTo(200);
        assertThat(only(own).header("x-api-key")).isEqualTo("sk-ant-callers-own");
        own.clearRequests();
        Http.post(open, "/v1/messages", Http.messages("own-1"), "authorization", "Bearer oauth-of-caller");
        assertThat(only(own).header("authorization")).isEqualTo("Bearer oauth-of-caller");
    }

    @Test
    void aCallerWithNothingToPassGets401AndMixedRoutesSkipThePassthroughTarget() {
        Http.Reply r = Http.post(open, "/v1/messages", Http.messages("own-1"));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.field("error.type")).isEqualTo("authentication_error");
        assertThat(r.field("error.message")).contains("own credential").contains("x-api-key");
        assertThat(own.requests()).isEmpty();

        Http.Reply mixed = Http.post(open, "/v1/messages", Http.messages("mixed-1"));
        assertThat(mixed.status()).isEqualTo(200);
        assertThat(mixed.header("x-claude-lb-upstream")).isEqualTo("api-key");
    }

    @Test
    void aClientKeyIsNeverForwardedAndTheUpstreamCredentialComesFromItsOwnHeader() {
        Http.Reply noOwn = Http.post(withKeys, "/v1/messages", Http.messages("own-1"), "x-api-key", "lb-key-alice");
        assertThat(noOwn.status()).isEqualTo(401);
        assertThat(noOwn.field("error.message")).contains("x-claude-lb-upstream-api-key");
        assertThat(own.requests()).isEmpty();

        Http.Reply r = Http.post(withKeys, "/v1/messages", Http.messages("own-1"), "authorization",
                "Bearer lb-key-alice", "x-claude-lb-upstream-api-key", "sk-ant-alices-own");
        assertThat(r.status()).isEqualTo(200);
        RecordedRequest sent = only(own);
        assertThat(sent.header("x-api-key")).isEqualTo("sk-ant-alices-own");
        assertThat(sent.header("authorization")).isNull();
        assertThat(sent.headers().keySet()).noneMatch(h -> h.startsWith("x-claude-lb-"));
        assertThat(sent.bodyText()).doesNotContain("lb-key-alice");
    }

    @Test
    void onAnExemptPathAnonymousCallersReachPassthroughTargetsOnly() {
        // A caller without a client key brings its own credential: forwarded to the passthrough upstream.
        Http.Reply own1 = Http.post(withKeys, "/v1/messages", Http.messages("own-1"), "x-api-key", "sk-ant-bob");
        assertThat(own1.status()).isEqualTo(200);
        assertThat(only(own).header("x-api-key")).isEqualTo("sk-ant-bob");
        // ... but claude-lb's configured credentials are for its clients: 401, nothing sent upstream.
        Http.Reply key = Http.post(withKeys, "/v1/messages", Http.messages("key-1"), "x-api-key", "sk-ant-bob");
        assertThat(key.status()).isEqualTo(401);
        assertThat(keyed.requests()).isEmpty();
        // A mixed route keeps only the passthrough target for them.
        own.clearRequests();
        assertThat(Http.post(withKeys, "/v1/messages", Http.messages("mixed-1"), "x-api-key", "sk-ant-bob")
                .header("x-claude-lb-upstream")).isEqualTo("passthrough");
        // The same exempt path with a valid client key is an authenticated client: configured credentials apply.
        Http.Reply alice = Http.post(withKeys, "/v1/messages", Http.messages("key-1"), "x-api-key", "lb-key-alice");
        assertThat(alice.status()).isEqualTo(200);
        assertThat(only(keyed).header("x-api-key")).isEqualTo("sk-ant-configured");
    }

    @Test
    void providersShowsAuthTypesAndNoSecret() {
        Http.Reply r = Http.get(withKeys, "/providers", "x-api-key", "lb-key-alice");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"auth_type\":\"api_key\"", "\"auth_type\":\"bearer\"",
                "\"auth_type\":\"passthrough\"");
        assertThat(r.body()).doesNotContain("sk-ant-configured", "relay-configured", "lb-key-alice");
    }
}
