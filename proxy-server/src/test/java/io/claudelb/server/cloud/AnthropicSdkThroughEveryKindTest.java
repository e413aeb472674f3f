package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.TestConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * "The Anthropic SDKs work identically through all kinds": the official Anthropic Java SDK sends the same request
 * through claude-lb to an anthropic, a databricks, a bedrock (SigV4 checked, event stream translated) and a vertex
 * (Google token checked) upstream, streaming and not, and gets back what the same mock answers on Anthropic's own
 * Messages API when asked directly: the same text, output tokens and stop reason, parsed by the SDK without complaint.
 * Input tokens are the mock's figure for the body it received (its length / 4), which each kind's dialect changes
 * (the model's name, {@code anthropic_version}): they must be what the upstream reported for that body, unchanged.
 */
class AnthropicSdkThroughEveryKindTest {
    private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
            .model("claude-sonnet-4-5")
            .maxTokens(1024)
            .addUserMessage("Hello through claude-lb")
            .build();

    @TempDir
    Path dir;
    private MockUpstream mock;
    private ProxyServer proxy;
    private AnthropicClient viaProxy;
    private AnthropicClient direct;

    private void start(KindUnderTest kind) throws Exception {
        mock = MockUpstream.start(MockOptions.builder().name(kind.upstream()).ioThreads(1)
                .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(1)).textEvents(12).build()).build());
        TestConfigs config = kind.addTo(TestConfigs.proxy(), mock, dir);
        proxy = ProxyServer.start(config.route(new RouteConfig("*", List.of(kind.target(0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
        viaProxy = client("http://127.0.0.1:" + proxy.port());
        direct = client(mock.baseUrl());
    }

    private static AnthropicClient client(String baseUrl) {
        return AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey("sk-ant-sdk").maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() {
        if (viaProxy != null) {
            viaProxy.close();
            direct.close();
        }
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(5));
        }
        mock.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = KindUnderTest.class, names = {"ANTHROPIC", "DATABRICKS", "BEDROCK", "VERTEX"})
    void aMessageComesBackAsAnthropicsOwn(KindUnderTest kind) throws Exception {
        start(kind);

        Message message = viaProxy.messages().create(PARAMS);

        assertSameAnswer(message, direct.messages().create(PARAMS), upstreamInputTokens());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = KindUnderTest.class, names = {"ANTHROPIC", "DATABRICKS", "BEDROCK", "VERTEX"})
    void aStreamAccumulatesToAnthropicsOwnMessage(KindUnderTest kind) throws Exception {
        start(kind);

        Message message = accumulate(viaProxy);

        assertSameAnswer(message, accumulate(direct), upstreamInputTokens());
    }

    private static Message accumulate(AnthropicClient client) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> stream = client.messages().createStreaming(PARAMS)) {
            stream.stream().forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    /** The mock's input-token figure for the body claude-lb sent it (the first message call). */
    private int upstreamInputTokens() {
        return KindUnderTest.messageCalls(mock).get(0).body().length / 4;
    }

    private static void assertSameAnswer(Message viaProxy, Message direct, long upstreamInputTokens) {
        assertThat(text(viaProxy)).startsWith("Hello from the claude-lb mock upstream.").isEqualTo(text(direct));
        assertThat(viaProxy.stopReason()).contains(StopReason.END_TURN).isEqualTo(direct.stopReason());
        assertThat(viaProxy.usage().outputTokens()).isPositive().isEqualTo(direct.usage().outputTokens());
        assertThat(viaProxy.usage().inputTokens()).isPositive().isEqualTo(upstreamInputTokens);
    }

    private static String text(Message message) {
        return message.content().stream().flatMap(b -> b.text().stream()).map(TextBlock::text)
                .collect(Collectors.joining());
    }
}
