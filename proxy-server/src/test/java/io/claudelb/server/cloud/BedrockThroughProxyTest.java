package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.observe.ExchangeEvent;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import io.claudelb.server.support.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request routed to a {@code bedrock} upstream through claude-lb over loopback: signed with SigV4 (checked by the
 * mock with the SDK's signer), its event stream relayed as Anthropic SSE, its invocation metrics recorded as usage,
 * and a throttling exception frame before the first byte failed over to an Anthropic upstream.
 */
class BedrockThroughProxyTest {
    private static final String KEY_ID = "AKIAPROXYTEST";
    private static final String SECRET = "proxy/test+secret";
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    @TempDir
    Path dir;
    private TestDatabase db;
    private MockUpstream bedrock;
    private MockUpstream backup;
    private ProxyServer proxy;
    private final List<ExchangeEvent> ended = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws InterruptedException {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().acceptAwsKey(KEY_ID, SECRET, null);
        backup = MockUpstream.start(MockOptions.builder().name("backup").build());
        db = TestDatabase.fresh(TestDatabase.Kind.SQLITE, dir);
        proxy = ProxyServer.start(TestConfigs.proxy()
                .bedrock("bedrock", bedrock.baseUrl(), KEY_ID, SECRET)
                .anthropic("backup", backup.baseUrl())
                .route(new RouteConfig("*", List.of(new TargetConfig("bedrock", MODEL, 0, 0),
                        new TargetConfig("backup", null, 1, 0)), Strategy.PRIORITY))
                .storage(db.settings())
                .build(), NanoClock.SYSTEM, "test");
        proxy.gateway().exchangeServices().observers().add(ended::add);
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        bedrock.close();
        backup.close();
    }

    private RawHttpClient.Response send(boolean stream) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", stream)));
    }

    @Test
    void aSignedStreamComesBackAsAnthropicSseWithBedrocksUsage() {
        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("bedrock");
        assertThat(r.header("content-type")).startsWith("text/event-stream");
        assertThat(r.events()).extracting(Sse.Event::event).startsWith("message_start").endsWith("message_stop");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        assertThat(bedrock.cloud().signaturesRejected()).isZero();
        Await.until("the exchange ended", () -> !ended.isEmpty(), Duration.ofSeconds(5));
        // The mock's invocation metrics (12 in, 34 out), not the events' own figures.
        assertThat(ended.get(0).usage().input()).isEqualTo(12);
        assertThat(ended.get(0).usage().output()).isEqualTo(34);
        Await.until("the usage row", () -> db.count("SELECT COUNT(*) FROM usage_records") == 1,
                Duration.ofSeconds(10));
        assertThat(db.count("SELECT input_tokens FROM usage_records WHERE upstream = 'bedrock'")).isEqualTo(12);
        assertThat(db.count("SELECT output_tokens FROM usage_records WHERE upstream = 'bedrock'")).isEqualTo(34);
    }

    @Test
    void anExceptionFrameAfterTheFirstByteEndsTheStreamWithOneErrorEvent() {
        bedrock.cloud().failBedrockStreams("modelStreamErrorException", 4);

        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("bedrock");
        List<Sse.Event> events = r.events();
        assertThat(events).extracting(Sse.Event::event).startsWith("message_start").doesNotContain("message_stop")
                .endsWith("error");
        assertThat(events).filteredOn(e -> "error".equals(e.event())).singleElement()
                .satisfies(e -> assertThat(e.data()).contains("\"api_error\""));
        assertThat(backup.requests()).isEmpty();
    }

    @Test
    void aJsonAnswerComesBackWholeWithItsUsage() {
        RawHttpClient.Response r = send(false);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("bedrock");
        assertThat(r.header("content-type")).startsWith("application/json");
        assertThat(r.json().text("type")).isEqualTo("message");
        assertThat(r.json().text("model")).isEqualTo(MODEL);
        assertThat(bedrock.requests().get(0).uri()).endsWith("/invoke");
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        Await.until("the exchange ended", () -> !ended.isEmpty(), Duration.ofSeconds(5));
        assertThat(ended.get(0).usage().output()).isPositive();
    }

    @Test
    void aThrottlingFrameBeforeTheFirstByteFailsOver() {
        bedrock.cloud().failBedrockStreams("throttlingException", 0);

        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("backup");
        assertThat(r.events()).extracting(Sse.Event::event).endsWith("message_stop");
    }

    @Test
    void aValidationFrameIsTheClientsError() {
        bedrock.cloud().failBedrockStreams("validationException", 0);

        RawHttpClient.Response r = send(true);

        assertThat(r.status).isEqualTo(400);
        assertThat(r.json().text("error.type")).isEqualTo("invalid_request_error");
        assertThat(backup.requests()).isEmpty();
    }
}
