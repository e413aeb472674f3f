package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BehaviourHeadersTest {
    private final MockBehaviour base = MockBehaviour.builder().failFirst(3).build();

    @Test
    void withoutMockHeadersTheDefaultItselfIsUsed() {
        HttpHeaders headers = new DefaultHttpHeaders().add("x-api-key", "k").add("x-mockery", "no");

        assertThat(BehaviourHeaders.resolve(base, headers)).isSameAs(base);
    }

    @Test
    void everyHeaderOverridesItsField() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("X-Mock-Status", "503")
                .add("x-mock-retry-after", "12")
                .add("x-mock-ttfb-ms", "250")
                .add("x-mock-pace-ms", "15")
                .add("x-mock-events", "40")
                .add("x-mock-text-bytes", "4000")
                .add("x-mock-thinking", "false")
                .add("x-mock-tool-use", "true")
                .add("x-mock-in-band-error", "1")
                .add("x-mock-reset-after-events", "5")
                .add("x-mock-reset-before-headers", "yes")
                .add("x-mock-openai-tools", "3")
                .add("x-mock-openai-late-tool-ids", "true");

        MockBehaviour b = BehaviourHeaders.resolve(base, headers);

        assertThat(b.errorStatus()).isEqualTo(503);
        assertThat(b.retryAfter()).isEqualTo("12");
        assertThat(b.timeToFirstByte()).isEqualTo(Duration.ofMillis(250));
        assertThat(b.pace()).isEqualTo(Duration.ofMillis(15));
        assertThat(b.textEvents()).isEqualTo(40);
        assertThat(b.textBytes()).isEqualTo(4000);
        assertThat(b.thinking()).isFalse();
        assertThat(b.toolUse()).isTrue();
        assertThat(b.inBandError()).isTrue();
        assertThat(b.resetAfterEvents()).isEqualTo(5);
        assertThat(b.resetBeforeHeaders()).isTrue();
        assertThat(b.openAiToolCalls()).isEqualTo(3);
        assertThat(b.effectiveOpenAiToolCalls()).isEqualTo(3);
        assertThat(b.openAiLateToolIds()).isTrue();
        assertThat(b.failFirst()).as("a failure header fails its own request").isZero();
    }

    @Test
    void successStatusClearsAnInjectedError() {
        MockBehaviour failing = MockBehaviour.builder().errorStatus(500).build();

        MockBehaviour b = BehaviourHeaders.resolve(failing, new DefaultHttpHeaders().add("x-mock-status", "201"));

        assertThat(b.errorStatus()).isZero();
        assertThat(b.status()).isEqualTo(201);
    }

    @Test
    void contentHeadersKeepFailFirst() {
        MockBehaviour b = BehaviourHeaders.resolve(base, new DefaultHttpHeaders().add("x-mock-events", "2"));

        assertThat(b.failFirst()).isEqualTo(3);
        assertThat(b.textEvents()).isEqualTo(2);
    }

    @Test
    void badValuesNameTheirHeader() {
        assertThatThrownBy(() -> BehaviourHeaders.resolve(base, new DefaultHttpHeaders().add("x-mock-status", "99")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-mock-status");
        assertThatThrownBy(() -> BehaviourHeaders.resolve(base, new DefaultHttpHeaders().add("x-mock-pace-ms", "-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-mock-pace-ms");
        assertThatThrownBy(() -> BehaviourHeaders.resolve(base,
                new DefaultHttpHeaders().add("x-mock-thinking", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x-mock-thinking");
    }
}
