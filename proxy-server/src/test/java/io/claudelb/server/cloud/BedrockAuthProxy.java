package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The claude-lb the AWS credential tests run (tests only): one Bedrock upstream over a mock, authenticated by the
 * {@code auth} under test, and one route to it; the request those tests send, and the access key a call to the mock
 * was signed with.
 */
record BedrockAuthProxy(UpstreamConfig upstream, ProxyServer server) {
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final Pattern KEY_ID = Pattern.compile("Credential=([^/]+)/");

    static BedrockAuthProxy start(MockUpstream bedrock, UpstreamAuth auth) throws InterruptedException {
        UpstreamConfig upstream = UpstreamConfig.builder("bedrock", UpstreamKind.BEDROCK).baseUrl(bedrock.baseUrl())
                .auth(auth).timeouts(TestConfigs.FAST).bedrock(new BedrockSettings("us-east-1")).build();
        ProxyServer server = ProxyServer.start(TestConfigs.proxy().upstream(upstream)
                .route(new RouteConfig("*", List.of(new TargetConfig("bedrock", MODEL, 0, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
        return new BedrockAuthProxy(upstream, server);
    }

    /** A streamed request for {@code claude-sonnet-4-5}, which the route sends to Bedrock. */
    RawHttpClient.Response send() {
        return RawHttpClient.exchange(server.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true)));
    }

    void stop() {
        server.stop(Duration.ofSeconds(5));
    }

    /** The access key the n-th (0-based) message call to {@code bedrock} was signed with. */
    static String signedWith(MockUpstream bedrock, int n) {
        Matcher m = KEY_ID.matcher(KindUnderTest.messageCalls(bedrock).get(n).header("authorization"));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
