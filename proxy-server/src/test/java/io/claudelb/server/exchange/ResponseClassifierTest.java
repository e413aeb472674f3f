package io.claudelb.server.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.HealthSettings;
import io.claudelb.core.health.FailureClassifier;
import io.claudelb.core.health.FailureKind;
import io.claudelb.server.exchange.ResponseClassifier.ErrorAction;
import io.claudelb.server.exchange.ResponseClassifier.ErrorVerdict;
import io.claudelb.server.exchange.ResponseClassifier.HeadVerdict;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every row of the failure policy, without a channel or a buffer. */
class ResponseClassifierTest {
    private final ResponseClassifier plain = new ResponseClassifier(new FailureClassifier(HealthSettings.DEFAULTS));
    private final ResponseClassifier withPatterns = new ResponseClassifier(new FailureClassifier(
            new HealthSettings(5, Duration.ofSeconds(60), 1, Duration.ofSeconds(60), Set.of(402),
                    List.of("quota exceeded"))));

    @ParameterizedTest(name = "status {0}, stream {1}, rewrites {2}, peek {3} -> {4}")
    @CsvSource({
            // errors are always held to be judged, whatever the body
            "400, false, false, true, HOLD_ERROR",
            "429, true, false, true, HOLD_ERROR",
            "503, false, true, true, HOLD_ERROR",
            // a stream is peeked when the peek is on, else relayed
            "200, true, false, true, PEEK",
            "200, true, true, true, PEEK",
            "200, true, false, false, RELAY",
            // a translated JSON answer is collected whole; an untranslated one relayed
            "200, false, true, true, COLLECT",
            "200, false, false, true, RELAY",
            "201, false, false, false, RELAY",
            "302, false, false, true, RELAY",
    })
    void whatAHeadMeans(int status, boolean eventStream, boolean rewrites, boolean peek, HeadVerdict expected) {
        assertThat(plain.head(status, eventStream, rewrites, peek)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "400, CLIENT_ERROR, ",
            "404, CLIENT_ERROR, ",
            "413, CLIENT_ERROR, ",
            "422, CLIENT_ERROR, ",
            "401, FAILURE, UPSTREAM_AUTH",
            "403, FAILURE, UPSTREAM_AUTH",
            "408, FAILURE, HTTP_408",
            "429, FAILURE, HTTP_429",
            "500, FAILURE, HTTP_500",
            "501, FAILURE, HTTP_500",
            "502, FAILURE, HTTP_502",
            "503, FAILURE, HTTP_503",
            "504, FAILURE, HTTP_504",
            "529, FAILURE, HTTP_529",
    })
    void whatAnErrorMeans(int status, ErrorAction action, FailureKind kind) {
        ErrorVerdict verdict = plain.judgeError(status, null, false, false);
        assertThat(verdict.action()).isEqualTo(action);
        assertThat(verdict.kind()).isEqualTo(kind);
    }

    @Test
    void aRefusedAccessTokenIsRenewedOnceNotCounted() {
        assertThat(plain.judgeError(401, null, true, false)).isEqualTo(ErrorVerdict.RENEW_TOKEN);
        // Once renewed (or without a token), the second 401 is an ordinary failure of claude-lb's credential.
        assertThat(plain.judgeError(401, null, false, false)).isEqualTo(ErrorVerdict.failure(FailureKind.UPSTREAM_AUTH));
        // A 403 is never "renew": the token was accepted, the permission is missing.
        assertThat(plain.judgeError(403, null, true, false).kind()).isEqualTo(FailureKind.UPSTREAM_AUTH);
    }

    @Test
    void aPassthroughCallersRefusedCredentialIsTheClientsError() {
        assertThat(plain.judgeError(401, null, false, true)).isEqualTo(ErrorVerdict.CLIENT_ERROR);
        assertThat(plain.judgeError(403, null, false, true)).isEqualTo(ErrorVerdict.CLIENT_ERROR);
        assertThat(plain.judgeError(429, null, false, true).kind()).isEqualTo(FailureKind.HTTP_429);
    }

    @Test
    void configuredStatusesAndBodyPatternsAreFailures() {
        assertThat(withPatterns.judgeError(402, null, false, false).kind())
                .isEqualTo(FailureKind.CONFIGURED_STATUS);
        assertThat(withPatterns.needsBody(400)).isTrue();
        assertThat(withPatterns.needsBody(503)).as("the status alone decides").isFalse();
        assertThat(plain.needsBody(400)).as("no patterns: no body needed").isFalse();
        assertThat(withPatterns.judgeError(400, "{\"error\":{\"message\":\"Quota exceeded for today\"}}", false,
                false).kind()).isEqualTo(FailureKind.BODY_PATTERN);
        assertThat(withPatterns.judgeError(400, "{\"error\":{\"message\":\"max_tokens too large\"}}", false,
                false)).isEqualTo(ErrorVerdict.CLIENT_ERROR);
    }

    @Test
    void anInBandErrorIsARateLimitOrAnOverload() {
        assertThat(plain.inBandError("rate_limit_error")).isEqualTo(FailureKind.HTTP_429);
        assertThat(plain.inBandError("overloaded_error")).isEqualTo(FailureKind.IN_BAND_ERROR);
        assertThat(plain.inBandError("api_error")).isEqualTo(FailureKind.IN_BAND_ERROR);
        assertThat(plain.inBandError(null)).isEqualTo(FailureKind.IN_BAND_ERROR);
    }

    @Test
    void onlyTheFirstAttemptsOwnAnswerIsForwardedAndNeverAnAuthFailure() {
        assertThat(plain.forwardsOwnAnswer(FailureKind.HTTP_429, 1)).isTrue();
        assertThat(plain.forwardsOwnAnswer(FailureKind.HTTP_503, 1)).isTrue();
        assertThat(plain.forwardsOwnAnswer(FailureKind.HTTP_503, 2)).isFalse();
        assertThat(plain.forwardsOwnAnswer(FailureKind.UPSTREAM_AUTH, 1)).isFalse();
    }
}
