package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.ThinkingBlock;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real client: the official Anthropic Java SDK pointed at claude-lb (as {@code ANTHROPIC_BASE_URL} would point it)
 * parses what the proxy relays, streaming and not, exactly as it parses the upstream's own answers.
 */
class AnthropicSdkTest {
    private static final String CLIENT_KEY = "sk-lb-sdk-user";
    private static final MessageCreateParams PARAMS = MessageCreateParams.builder()
            .model("claude-sonnet-4-5")
            .maxTokens(1024)
            .addUserMessage("Hello through claude-lb")
            .build();

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().ioThreads(1)
            .behaviour(MockBehaviour.builder().pace(Duration.ofMillis(1)).textEvents(12).build()).build(),
            mockUrl -> TestConfigs.proxy().client("sdk", CLIENT_KEY).anthropic("up", mockUrl));
    private AnthropicClient viaProxy;
    private AnthropicClient direct;

    @BeforeEach
    void start() throws InterruptedException {
        viaProxy = client("http://127.0.0.1:" + servers.proxy().port(), CLIENT_KEY);
        direct = client(servers.mock().baseUrl(), "sk-direct");
    }

    private static AnthropicClient client(String baseUrl, String apiKey) {
        return AnthropicOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(0)
                .timeout(Duration.ofSeconds(20)).build();
    }

    @AfterEach
    void stop() {
        viaProxy.close();
        direct.close();
    }

    @Test
    void nonStreamingMessageParses() {
        Message message = viaProxy.messages().create(PARAMS);

        assertThat(text(message)).startsWith("Hello from the claude-lb mock upstream.");
        assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
        assertThat(signature(message)).isNotEmpty();

        Message expected = direct.messages().create(PARAMS);
        assertThat(text(message)).isEqualTo(text(expected));
        assertThat(message.usage().inputTokens()).isEqualTo(expected.usage().inputTokens());
        assertThat(message.usage().outputTokens()).isEqualTo(expected.usage().outputTokens());

        RecordedRequest sent = servers.mock().requests().get(0);
        assertThat(sent.header("x-api-key")).isEqualTo("sk-upstream-up");
        assertThat(sent.header("anthropic-version")).isNotBlank();
        assertThat(sent.header("x-stainless-lang")).isEqualTo("java");
    }

    @Test
    void streamingMessageParsesAndAccumulates() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        List<String> eventTypes = new ArrayList<>();
        try (StreamResponse<RawMessageStreamEvent> stream = viaProxy.messages().createStreaming(PARAMS)) {
            stream.stream().forEach(event -> {
                accumulator.accumulate(event);
                eventTypes.add(type(event));
            });
        }
        Message message = accumulator.message();

        assertThat(eventTypes).startsWith("message_start").endsWith("message_stop");
        assertThat(eventTypes).contains("content_block_delta", "message_delta");
        assertThat(text(message)).startsWith("Hello from the claude-lb mock upstream.");
        assertThat(message.stopReason()).contains(StopReason.END_TURN);
        assertThat(message.usage().inputTokens()).isPositive();
        assertThat(message.usage().outputTokens()).isPositive();
        assertThat(signature(message)).isNotEmpty();

        Message nonStreaming = direct.messages().create(PARAMS);
        assertThat(text(message)).isEqualTo(text(nonStreaming));
        assertThat(message.usage().outputTokens()).isEqualTo(nonStreaming.usage().outputTokens());
    }

    private static String text(Message message) {
        return message.content().stream().flatMap(b -> b.text().stream()).map(TextBlock::text)
                .collect(Collectors.joining());
    }

    private static String signature(Message message) {
        return message.content().stream().filter(ContentBlock::isThinking).map(ContentBlock::thinking)
                .flatMap(java.util.Optional::stream).map(ThinkingBlock::signature).findFirst().orElse("");
    }

    private static String type(RawMessageStreamEvent event) {
        if (event.isMessageStart()) {
            return "message_start";
        }
        if (event.isContentBlockStart()) {
            return "content_block_start";
        }
        if (event.isContentBlockDelta()) {
            return "content_block_delta";
        }
        if (event.isContentBlockStop()) {
            return "content_block_stop";
        }
        if (event.isMessageDelta()) {
            return "message_delta";
        }
        return event.isMessageStop() ? "message_stop" : "other";
    }
}
