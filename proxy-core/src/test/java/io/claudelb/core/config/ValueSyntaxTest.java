package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValueSyntaxTest {
    @Test
    void durationsAcceptUnitsCompoundsAndBareSeconds() {
        assertThat(Durations.parse("k", "90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("k", "10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("k", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", "2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("k", "1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("k", "60")).isEqualTo(Duration.ofSeconds(60));
        assertThat(Durations.parse("k", "0.5")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("k", " 1.5s ")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("k", "0")).isEqualTo(Duration.ZERO);
    }

    @Test
    void badDurationsNameTheKey() {
        for (String bad : List.of("", "ten seconds", "10x", "-5s", "s", "10s5", "1e3")) {
            assertThatThrownBy(() -> Durations.parse("health.open_for", bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("health.open_for: expected a duration");
        }
    }

    @Test
    void durationsFormatCompactly() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Durations.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofDays(1).plusSeconds(1))).isEqualTo("1d1s");
        assertThat(Durations.parse("k", Durations.format(Duration.ofMillis(3_723_004))))
                .isEqualTo(Duration.ofMillis(3_723_004));
    }

    @Test
    void sizesAcceptBinaryAndDecimalUnits() {
        assertThat(ByteSizes.parse("k", "32MiB")).isEqualTo(32L * 1024 * 1024);
        assertThat(ByteSizes.parse("k", "16KiB")).isEqualTo(16_384);
        assertThat(ByteSizes.parse("k", "1GiB")).isEqualTo(1L << 30);
        assertThat(ByteSizes.parse("k", "1MB")).isEqualTo(1_000_000);
        assertThat(ByteSizes.parse("k", "2kb")).isEqualTo(2_000);
        assertThat(ByteSizes.parse("k", "512")).isEqualTo(512);
        assertThat(ByteSizes.parse("k", "512B")).isEqualTo(512);
        assertThat(ByteSizes.parse("k", "1.5KiB")).isEqualTo(1536);
        assertThat(ByteSizes.parse("k", "32 MiB")).isEqualTo(32L * 1024 * 1024);
    }

    @Test
    void badSizesNameTheKey() {
        for (String bad : List.of("", "lots", "32M", "-1", "1.5B", "99999999999GiB")) {
            assertThatThrownBy(() -> ByteSizes.parse("server.max_request_bytes", bad))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("server.max_request_bytes: ");
        }
    }

    @Test
    void sizesFormatInTheLargestExactUnit() {
        assertThat(ByteSizes.format(32L * 1024 * 1024)).isEqualTo("32MiB");
        assertThat(ByteSizes.format(16_384)).isEqualTo("16KiB");
        assertThat(ByteSizes.format(1_000_000)).isEqualTo("1MB");
        assertThat(ByteSizes.format(1500)).isEqualTo("1500B");
        assertThat(ByteSizes.format(0)).isEqualTo("0B");
    }

    @Test
    void keySuggestionsFindTyposAndSwaps() {
        List<String> known = List.of("listen", "max_request_bytes", "idle_timeout");
        assertThat(KeySuggestions.hint("listn", known)).isEqualTo("did you mean 'listen'?");
        assertThat(KeySuggestions.hint("maxRequestBytes", known)).isEqualTo("did you mean 'max_request_bytes'?");
        assertThat(KeySuggestions.hint("idel_timeout", known)).isEqualTo("did you mean 'idle_timeout'?");
        assertThat(KeySuggestions.hint("colour", known))
                .isEqualTo("known keys here: idle_timeout, listen, max_request_bytes");
    }
}
