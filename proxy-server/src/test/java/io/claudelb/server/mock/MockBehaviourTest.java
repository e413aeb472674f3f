package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockBehaviourTest {

    @Test
    void invalidValuesAreRejected() {
        MockBehaviour b = MockBehaviour.defaults();

        assertThatThrownBy(() -> b.withStatus(600)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.withErrorStatus(302)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.withPace(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.withResetAfterEvents(-2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.withRetryAfter("1\r\nx: y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockOptions.defaults().withName("two words"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockOptions.defaults().withPort(70_000)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutFailuresKeepsContentAndDelays() {
        MockBehaviour failing = MockBehaviour.defaults().withErrorStatus(503).withInBandError(true)
                .withResetAfterEvents(2).withResetBeforeHeaders(true).withFailFirst(2).withTextEvents(3)
                .withPace(Duration.ofMillis(5));

        MockBehaviour healed = failing.withoutFailures();

        assertThat(failing.injectsFailure()).isTrue();
        assertThat(healed.injectsFailure()).isFalse();
        assertThat(healed.textEvents()).isEqualTo(3);
        assertThat(healed.pace()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void textIsSplitIntoNearEqualDeltasOfAtLeastOneByte() {
        MockContent content = MockContent.of(MockBehaviour.defaults().withTextEvents(4).withTextBytes(10));
        MockContent tiny = MockContent.of(MockBehaviour.defaults().withTextEvents(3).withTextBytes(0));

        assertThat(content.textDeltas()).extracting(String::length).containsExactly(3, 3, 2, 2);
        assertThat(tiny.textDeltas()).extracting(String::length).containsExactly(1, 1, 1);
        assertThat(String.join("", content.toolInputFragments())).isEqualTo(MockContent.TOOL_INPUT);
        assertThat(MockContent.of(MockBehaviour.defaults()).textDeltas()).hasSize(8);
        assertThat(List.of(content.stopReason(), MockContent.of(MockBehaviour.defaults().withToolUse(true))
                .stopReason())).containsExactly("end_turn", "tool_use");
    }
}
