package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every exception frame the Bedrock mock can end a stream with (encoded by the AWS SDK's event-stream codec), through
 * claude-lb to a route of a Bedrock upstream then an Anthropic one, at both moments it can come:
 * <ul>
 *   <li>before the first byte: a failure fails over to the Anthropic upstream and counts against Bedrock's breaker
 *       as its status would; the client's own error (validation, an unknown model) is answered with its status and
 *       type, nothing failed over; with no other upstream left, the client gets the status and type the exception
 *       stands for, as it would get a throttled upstream's own 429 (except for claude-lb's refused credential,
 *       which must never read as the client's);</li>
 *   <li>after it: one {@code event: error} of the exception's Anthropic type ends the stream.</li>
 * </ul>
 * One row per exception type of {@code BedrockErrors}' table: exception, status, Anthropic type, the failure kind
 * in {@code /stats} (empty: the client's error), what a lone upstream's client gets (status and type).
 */
class BedrockExceptionFramesTest {
    private static final String KEY_ID = "AKIAFRAMES";
    private static final String SECRET = "frames/secret";
    private static final String MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private static final String ROWS = """
            throttlingException,          429, rate_limit_error,      http_429,      429, rate_limit_error
            serviceQuotaExceededException, 429, rate_limit_error,     http_429,      429, rate_limit_error
            modelNotReadyException,       429, rate_limit_error,      http_429,      429, rate_limit_error
            serviceUnavailableException,  503, overloaded_error,      http_503,      503, overloaded_error
            modelStreamErrorException,    500, api_error,             http_500,      500, api_error
            internalServerException,      500, api_error,             http_500,      500, api_error
            modelErrorException,          502, api_error,             http_502,      502, api_error
            modelTimeoutException,        408, timeout_error,         http_408,      408, timeout_error
            someFutureException,          500, api_error,             http_500,      500, api_error
            accessDeniedException,        403, permission_error,      upstream_auth, 503, api_error
            validationException,          400, invalid_request_error, ,              400, invalid_request_error
            resourceNotFoundException,    404, not_found_error,       ,              404, not_found_error
            """;

    private MockUpstream bedrock;
    private MockUpstream backup;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws InterruptedException {
        bedrock = MockUpstream.start(MockOptions.builder().name("bedrock").build());
        bedrock.cloud().acceptAwsKey(KEY_ID, SECRET, null);
        backup = MockUpstream.start(MockOptions.builder().name("backup").build());
        proxy = ProxyServer.start(TestConfigs.proxy()
                .bedrock("bedrock", bedrock.baseUrl(), KEY_ID, SECRET)
                .anthropic("backup", backup.baseUrl())
                .route(new RouteConfig("*", List.of(new TargetConfig("bedrock", MODEL, 0, 0),
                        new TargetConfig("backup", null, 1, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        proxy.stop(Duration.ofSeconds(5));
        bedrock.close();
        backup.close();
    }

    private RawHttpClient.Response send(String... headers) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", true), headers));
    }

    private Json bedrockStats() {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats")).json().named("endpoints", "bedrock");
    }

    @ParameterizedTest(name = "{0} before the first byte")
    @CsvSource(textBlock = ROWS)
    void beforeTheFirstByteAFailureFailsOverAndAClientErrorIsAnswered(String exception, int status, String type,
                                                                      String kind) {
        bedrock.cloud().failBedrockStreams(exception, 0);

        RawHttpClient.Response r = send();

        assertThat(bedrock.requests()).hasSize(1);
        assertThat(bedrock.cloud().signaturesVerified()).isEqualTo(1);
        if (kind == null) {
            assertThat(r.status).isEqualTo(status);
            assertThat(r.json().text("type")).isEqualTo("error");
            assertThat(r.json().text("error.type")).isEqualTo(type);
            assertThat(backup.requests()).isEmpty();
            assertThat(bedrockStats().number("total_errors")).isZero();
            return;
        }
        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("backup");
        assertThat(r.events()).extracting(Sse.Event::event).startsWith("message_start").endsWith("message_stop")
                .doesNotContain("error");
        assertThat(backup.requests()).hasSize(1);
        Json stats = bedrockStats();
        assertThat(stats.number("total_errors")).isEqualTo(1);
        assertThat(stats.number("errors_by_kind." + kind)).isEqualTo(1);
        assertThat(stats.number("consecutive_failures")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} after the first byte")
    @CsvSource(textBlock = ROWS)
    void afterTheFirstByteOneErrorEventOfTheRightTypeEndsTheStream(String exception, int status, String type) {
        bedrock.cloud().failBedrockStreams(exception, 3);

        RawHttpClient.Response r = send();

        assertThat(r.status).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("bedrock");
        List<Sse.Event> events = r.events();
        assertThat(events).extracting(Sse.Event::event).startsWith("message_start").doesNotContain("message_stop")
                .endsWith("error");
        assertThat(events).filteredOn(e -> "error".equals(e.event())).singleElement().satisfies(e -> {
            assertThat(Json.field(e.data(), "type")).isEqualTo("error");
            assertThat(Json.field(e.data(), "error.type")).isEqualTo(type);
            assertThat(Json.field(e.data(), "error.message")).contains(exception);
        });
        assertThat(backup.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{0} from the only upstream")
    @CsvSource(textBlock = ROWS)
    void withNoOtherUpstreamLeftTheClientGetsTheStatusAndTypeTheExceptionStandsFor(
            String exception, int status, String type, String kind, int loneStatus, String loneType) {
        bedrock.cloud().failBedrockStreams(exception, 0);

        RawHttpClient.Response r = send("x-claude-lb-upstream: bedrock");

        assertThat(r.status).isEqualTo(loneStatus);
        assertThat(r.json().text("type")).isEqualTo("error");
        assertThat(r.json().text("error.type")).isEqualTo(loneType);
        assertThat(r.header("x-claude-lb-request-id")).isNotBlank();
        assertThat(backup.requests()).isEmpty();
    }
}
