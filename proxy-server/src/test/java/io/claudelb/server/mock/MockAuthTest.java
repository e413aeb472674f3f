package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.time.NanoClock;
import io.claudelb.server.support.FakeClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link MockAuth}'s builder: where its defaults come from, that {@code toBuilder()} loses nothing, validation. */
class MockAuthTest {

    @Test
    void aBuilderLeftAloneBuildsTheDocumentedDefaults() {
        MockAuth defaults = MockAuth.defaults();

        assertThat(MockAuth.builder().build()).isEqualTo(defaults);
        assertThat(defaults.requireBearer()).isFalse();
        assertThat(defaults.tokenLifetime()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.clientId()).isNull();
        assertThat(defaults.refreshToken()).isEqualTo("mock-refresh-0");
        assertThat(defaults.tokenDelay()).isZero();
        assertThat(defaults.clock()).isSameAs(NanoClock.SYSTEM);
    }

    @Test
    void toBuilderCopiesEveryComponent() throws ReflectiveOperationException {
        MockAuth every = MockAuth.builder().requireBearer(true).tokenLifetime(Duration.ofMinutes(2))
                .client("id", "secret").refreshToken("rt").tokenDelay(Duration.ofMillis(3)).clock(new FakeClock())
                .build();

        RecordComponents.assertEachDiffers(every, MockAuth.defaults());
        assertThat(every.toBuilder().build()).isEqualTo(every);
    }

    @Test
    void buildRefusesWhatTheRecordRefuses() {
        assertThatThrownBy(() -> MockAuth.builder().tokenLifetime(Duration.ofMillis(999)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockAuth.builder().tokenDelay(Duration.ofMillis(-1)).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MockAuth.builder().refreshToken(null).build())
                .isInstanceOf(NullPointerException.class);
    }
}
