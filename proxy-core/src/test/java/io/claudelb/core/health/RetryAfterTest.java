package io.claudelb.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryAfterTest {
    /** 2025-01-15T12:00:00Z. */
    private static final long NOW = Instant.parse("2025-01-15T12:00:00Z").toEpochMilli();

    private static long nanos(String... nameValuePairs) {
        Map<String, String> headers = new HashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.put(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return RetryAfter.nanos(headers::get, NOW);
    }

    @Test
    void noHeadersMeansZero() {
        assertThat(nanos()).isZero();
    }

    @ParameterizedTest(name = "retry-after: {0} -> {1} ms")
    @CsvSource({
        "7, 7000",
        "0, 0",
        "' 12 ', 12000",
        "1.5, 1500",
        "'Wed, 15 Jan 2025 12:00:30 GMT', 30000",
        "'Wed, 15 Jan 2025 11:59:00 GMT', 0",
    })
    void retryAfterSecondsOrHttpDate(String value, long millis) {
        assertThat(nanos("retry-after", value)).isEqualTo(Duration.ofMillis(millis).toNanos());
    }

    @ParameterizedTest(name = "unusable retry-after: {0}")
    @CsvSource({"-5", "soon", "''", "1e3", "'Wed, 99 Foo 2025'"})
    void unusableRetryAfterIsIgnored(String value) {
        assertThat(nanos("retry-after", value)).isZero();
    }

    @Test
    void retryAfterMsWinsOverRetryAfter() {
        assertThat(nanos("retry-after-ms", "250", "retry-after", "9")).isEqualTo(Duration.ofMillis(250).toNanos());
        assertThat(nanos("retry-after-ms", "0.5")).isEqualTo(Duration.ofMillis(1).toNanos());
    }

    @Test
    void unparsableRetryAfterMsFallsBackToRetryAfter() {
        assertThat(nanos("retry-after-ms", "x", "retry-after", "3")).isEqualTo(Duration.ofSeconds(3).toNanos());
    }

    @Test
    void earliestFutureRateLimitResetWhenNoRetryAfter() {
        long n = nanos(
                "anthropic-ratelimit-requests-reset", "2025-01-15T12:00:40Z",
                "anthropic-ratelimit-tokens-reset", "2025-01-15T12:00:20Z",
                "anthropic-ratelimit-input-tokens-reset", "2025-01-15T11:59:00Z",
                "anthropic-ratelimit-output-tokens-reset", "not a date");
        assertThat(n).as("past and garbage resets are skipped").isEqualTo(Duration.ofSeconds(20).toNanos());
    }

    @Test
    void rateLimitResetAcceptsOffsetsAndLowerCase() {
        assertThat(nanos("anthropic-ratelimit-output-tokens-reset", "2025-01-15T13:00:05+01:00"))
                .isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(nanos("anthropic-ratelimit-requests-reset", "2025-01-15t12:00:10.500z"))
                .isEqualTo(Duration.ofMillis(10_500).toNanos());
    }

    @Test
    void retryAfterWinsOverRateLimitReset() {
        assertThat(nanos("retry-after", "2", "anthropic-ratelimit-requests-reset", "2025-01-15T12:00:40Z"))
                .isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void hugeValuesSaturate() {
        assertThat(nanos("retry-after", "99999999999999999999")).isEqualTo(Long.MAX_VALUE);
    }
}
