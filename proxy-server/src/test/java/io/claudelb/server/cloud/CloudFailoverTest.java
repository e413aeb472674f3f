package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One route over three kinds, as a team with a Databricks workspace, a Bedrock region and a Vertex project would
 * write it: an overloaded workspace fails over to Bedrock, a throttled Bedrock (an exception frame before the first
 * byte) to Vertex, and the client gets Vertex's stream as if nothing had happened.
 */
class CloudFailoverTest {
    private static final String KEY_ID = "AKIAFAILOVER";
    private static final String SECRET = "failover/secret";

    @TempDir
    Path dir;
    private MockUpstream databricks;
    private MockUpstream bedrock;
    private MockUpstream vertex;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        databricks = MockUpstream.start(MockOptions.builder().name("databricks").build());
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().acceptAwsKey(KEY_ID, SECRET, null);
        vertex = MockUpstream.start(MockOptions.builder().name("vertex").build());
        Path key = TestServiceAccount.write(vertex, dir);
        proxy = ProxyServer.start(TestConfigs.proxy()
                .databricks("databricks", databricks.baseUrl())
                .bedrock("bedrock", bedrock.baseUrl(), KEY_ID, SECRET)
                .vertex("vertex", vertex.baseUrl(), key)
                .route(new RouteConfig("*", List.of(new TargetConfig("databricks", null, 0, 0),
                        new TargetConfig("bedrock", "global.anthropic.claude-sonnet-4-5-20250929-v1:0", 1, 0),
                        new TargetConfig("vertex", "claude-sonnet-4-5@20250929", 2, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        databricks.close();
        bedrock.close();
        vertex.close();
    }

    /** Three attempts: the default {@code retry.max_attempts}. */
    @Test
    void anOverloadedWorkspaceAndAThrottledBedrockFailOverToVertexBeforeTheFirstByte() {
        databricks.setBehaviour(databricks.behaviour().toBuilder().errorStatus(529).build());
        bedrock.cloud().failBedrockStreams("throttlingException", 0);

        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true)));

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("vertex");
        assertThat(r.events()).extracting(Sse.Event::event).startsWith("message_start").endsWith("message_stop")
                .doesNotContain("error");
        assertThat(databricks.requests()).hasSize(1);
        assertThat(bedrock.requests()).hasSize(1);
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        assertThat(vertex.requests()).filteredOn(sent -> !sent.uri().equals("/token")).singleElement()
                .satisfies(sent -> assertThat(sent.uri()).endsWith("claude-sonnet-4-5@20250929:streamRawPredict"));
    }
}
