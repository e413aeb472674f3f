package io.claudelb.core.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claudelb.core.config.ConfigException;
import io.claudelb.core.config.HealthSettings;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureClassifierTest {
    private static final FailureClassifier CLASSIFIER = new FailureClassifier(new HealthSettings(5,
            Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Set.of(402, 520, 302, 200),
            List.of("credit balance is too low", "quota\\s+exceeded")));

    /** Every status row; "-" = not a failure (null). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "100, -",
        "200, -",
        "204, -",
        "301, -",
        "302, CONFIGURED_STATUS",
        "400, -",
        "401, UPSTREAM_AUTH",
        "402, CONFIGURED_STATUS",
        "403, UPSTREAM_AUTH",
        "404, -",
        "408, HTTP_408",
        "409, -",
        "413, -",
        "422, -",
        "429, HTTP_429",
        "500, HTTP_500",
        "501, HTTP_500",
        "502, HTTP_502",
        "503, HTTP_503",
        "504, HTTP_504",
        "505, HTTP_500",
        "520, CONFIGURED_STATUS",
        "521, HTTP_500",
        "529, HTTP_529",
        "599, HTTP_500",
    })
    void statusRows(int status, String expected) {
        FailureKind kind = CLASSIFIER.classifyStatus(status);
        assertThat(kind == null ? "-" : kind.name()).isEqualTo(expected);
    }

    @Test
    void configuredSuccessStatusIsStillASuccess() {
        assertThat(CLASSIFIER.classifyStatus(200)).isNull();
    }

    @Test
    void clientErrorsNeitherCountNorFailOverWithoutConfiguredStatuses() {
        FailureClassifier plain = new FailureClassifier(HealthSettings.DEFAULTS);
        assertThat(plain.classifyStatus(402)).isNull();
        assertThat(plain.classifyStatus(520)).isEqualTo(FailureKind.HTTP_500);
        assertThat(plain.classifyBody(400, "credit balance is too low")).isNull();
        assertThat(plain.needsBody(400)).isFalse();
    }

    /** Every body row; "-" = not a failure. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        "400, 'Your CREDIT balance is too low to access the API', BODY_PATTERN",
        "403, 'monthly quota   exceeded', BODY_PATTERN",
        "500, 'quota exceeded', BODY_PATTERN",
        "400, 'messages: field required', -",
        "200, 'the credit balance is too low, said the model', -",
        "201, 'quota exceeded', -",
        "302, 'quota exceeded', -",
        "400, '', -",
    })
    void bodyRows(int status, String body, String expected) {
        FailureKind kind = CLASSIFIER.classifyBody(status, body);
        assertThat(kind == null ? "-" : kind.name()).isEqualTo(expected);
    }

    @Test
    void bodyIsNullSafe() {
        assertThat(CLASSIFIER.classifyBody(400, null)).isNull();
    }

    @Test
    void classifyPrefersTheStatusVerdict() {
        assertThat(CLASSIFIER.classify(503, "quota exceeded")).isEqualTo(FailureKind.HTTP_503);
        assertThat(CLASSIFIER.classify(400, "quota exceeded")).isEqualTo(FailureKind.BODY_PATTERN);
        assertThat(CLASSIFIER.classify(400, "bad field")).isNull();
        assertThat(CLASSIFIER.classify(200, "quota exceeded")).isNull();
    }

    @Test
    void needsBodyOnlyWhereABodyCanChangeTheVerdict() {
        assertThat(CLASSIFIER.needsBody(400)).isTrue();
        assertThat(CLASSIFIER.needsBody(404)).isTrue();
        assertThat(CLASSIFIER.needsBody(503)).isFalse();
        assertThat(CLASSIFIER.needsBody(200)).isFalse();
    }

    @Test
    void invalidPatternIsAConfigErrorNamingTheKey() {
        HealthSettings bad = new HealthSettings(5, Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Set.of(),
                List.of("ok", "(unclosed"));
        assertThatThrownBy(() -> new FailureClassifier(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("health.failure_body_patterns[1]: is not a valid regular expression");
    }
}
