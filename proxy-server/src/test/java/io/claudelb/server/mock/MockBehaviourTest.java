package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MockBehaviourTest {

    @Test
    void invalidValuesAreRejected() {
        assertThatThrownBy(() -> MockBehaviour.builder().status(600).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockBehaviour.builder().errorStatus(302).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockBehaviour.builder().pace(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockBehaviour.builder().resetAfterEvents(-2).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockBehaviour.builder().retryAfter("1\r\nx: y").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockOptions.builder().name("two words").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockOptions.builder().port(70_000).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBuilderLeftAloneBuildsTheDocumentedDefaults() {
        MockBehaviour defaults = MockBehaviour.defaults();

        assertThat(MockBehaviour.builder().build()).isEqualTo(defaults);
        assertThat(List.of(defaults.status(), defaults.textEvents(), defaults.textBytes(), defaults.resetAfterEvents()))
                .containsExactly(200, 8, 160, MockBehaviour.NEVER);
        assertThat(List.of(defaults.timeToFirstByte(), defaults.pace())).containsOnly(Duration.ZERO);
        assertThat(defaults.thinking()).isTrue();
        assertThat(defaults.injectsFailure()).isFalse();
    }

    @Test
    void toBuilderCopiesEveryComponent() throws ReflectiveOperationException {
        MockBehaviour every = MockBehaviour.builder().status(201).timeToFirstByte(Duration.ofMillis(1))
                .pace(Duration.ofMillis(2)).textEvents(3).textBytes(4).thinking(false).toolUse(true).errorStatus(503)
                .retryAfter("5").inBandError(true).resetAfterEvents(6).resetBeforeHeaders(true).failFirst(7)
                .fixedBody("{}").openAiToolCalls(8).openAiLateToolIds(true).webSearch(true).build();

        RecordComponents.assertEachDiffers(every, MockBehaviour.defaults());
        assertThat(every.toBuilder().build()).isEqualTo(every);
        assertThat(every.toBuilder().status(202).build().status()).isEqualTo(202);
        assertThat(every.status()).isEqualTo(201);
    }

    @Test
    void buildRefusesWhatTheRecordRefuses() {
        MockBehaviour.Builder builder = MockBehaviour.builder();

        assertThatThrownBy(() -> builder.status(99).build()).isInstanceOf(IllegalArgumentException.class);
        builder.status(200);
        assertThatThrownBy(() -> builder.textEvents(-1).build()).isInstanceOf(IllegalArgumentException.class);
        builder.textEvents(8);
        assertThatThrownBy(() -> builder.failFirst(-1).build()).isInstanceOf(IllegalArgumentException.class);
        builder.failFirst(0);
        assertThatThrownBy(() -> builder.openAiToolCalls(-1).build()).isInstanceOf(IllegalArgumentException.class);
        builder.openAiToolCalls(0);
        assertThatThrownBy(() -> builder.timeToFirstByte(null).build()).isInstanceOf(NullPointerException.class);
        builder.timeToFirstByte(Duration.ZERO);
        assertThat(builder.build()).isEqualTo(MockBehaviour.defaults());
    }

    @Test
    void withoutFailuresKeepsContentAndDelays() {
        MockBehaviour failing = MockBehaviour.builder().errorStatus(503).inBandError(true)
                .resetAfterEvents(2).resetBeforeHeaders(true).failFirst(2).textEvents(3)
                .pace(Duration.ofMillis(5)).build();

        MockBehaviour healed = failing.withoutFailures();

        assertThat(failing.injectsFailure()).isTrue();
        assertThat(healed.injectsFailure()).isFalse();
        assertThat(healed.textEvents()).isEqualTo(3);
        assertThat(healed.pace()).isEqualTo(Duration.ofMillis(5));
    }

    @Test
    void textIsSplitIntoNearEqualDeltasOfAtLeastOneByte() {
        MockContent content = MockContent.of(MockBehaviour.builder().textEvents(4).textBytes(10).build());
        MockContent tiny = MockContent.of(MockBehaviour.builder().textEvents(3).textBytes(0).build());

        assertThat(content.textDeltas()).extracting(String::length).containsExactly(3, 3, 2, 2);
        assertThat(tiny.textDeltas()).extracting(String::length).containsExactly(1, 1, 1);
        assertThat(String.join("", content.toolInputFragments())).isEqualTo(MockContent.TOOL_INPUT);
        assertThat(MockContent.of(MockBehaviour.defaults()).textDeltas()).hasSize(8);
        assertThat(List.of(content.stopReason(), MockContent.of(MockBehaviour.builder().toolUse(true).build())
                .stopReason())).containsExactly("end_turn", "tool_use");
    }
}
