package io.claudelb.server.cloud;

import io.claudelb.core.config.OpenAiSettings;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.server.mock.MockCloud;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.TestConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;

/**
 * Each upstream kind as the cross-kind tests set it up over its own mock (tests only): named after the kind, with
 * its credential (SigV4 keys the Bedrock mock checks, a service-account key whose tokens the Vertex mock issued), the
 * target model a route names for it, and the way it fails before the first byte in its own dialect (an overload or
 * throttling answer; a Bedrock exception frame) with the failure kind {@code /stats} counts for it.
 */
enum KindUnderTest {
    ANTHROPIC(null, "http_529", true),
    DATABRICKS(null, "http_429", true),
    OPENAI(null, "http_429", true),
    BEDROCK("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "http_429", false),
    VERTEX("claude-sonnet-4-5@20250929", "http_429", false);

    private static final String AWS_KEY_ID = "AKIAKINDS";
    private static final String AWS_SECRET = "kinds/secret";

    private final String targetModel;
    private final String failureKind;
    private final boolean asksForCooldown;

    KindUnderTest(String targetModel, String failureKind, boolean asksForCooldown) {
        this.targetModel = targetModel;
        this.failureKind = failureKind;
        this.asksForCooldown = asksForCooldown;
    }

    /** The upstream's name in the config. */
    String upstream() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Adds this kind's upstream over {@code mock} to {@code config}; {@code dir} takes a Vertex key file. */
    TestConfigs addTo(TestConfigs config, MockUpstream mock, Path dir) throws IOException, GeneralSecurityException {
        return switch (this) {
            case ANTHROPIC -> config.anthropic(upstream(), mock.baseUrl());
            case DATABRICKS -> config.databricks(upstream(), mock.baseUrl());
            case OPENAI -> config.openai(upstream(), mock.baseUrl() + "/v1", OpenAiSettings.DEFAULTS);
            case BEDROCK -> {
                mock.cloud().acceptAwsKey(AWS_KEY_ID, AWS_SECRET, null);
                yield config.bedrock(upstream(), mock.baseUrl(), AWS_KEY_ID, AWS_SECRET);
            }
            case VERTEX -> config.vertex(upstream(), mock.baseUrl(),
                    TestServiceAccount.write(mock, Files.createDirectories(dir.resolve(upstream()))));
        };
    }

    /** A route target on this kind's upstream at {@code priority}. */
    TargetConfig target(int priority) {
        return new TargetConfig(upstream(), targetModel, priority, 0);
    }

    /**
     * Every request to {@code mock} fails before the first byte, as this kind fails when overloaded or throttled:
     * Anthropic's 529, a Databricks or OpenAI 429 (those three with {@code retry-after: 30}), Bedrock's
     * {@code throttlingException} frame in a 200 stream, Vertex's 429 {@code RESOURCE_EXHAUSTED}.
     */
    void failEveryRequest(MockUpstream mock) {
        switch (this) {
            case ANTHROPIC -> mock.setBehaviour(mock.behaviour().toBuilder().errorStatus(529).retryAfter("30").build());
            case DATABRICKS, OPENAI -> mock.setBehaviour(mock.behaviour().toBuilder().errorStatus(429).retryAfter("30")
                    .build());
            case BEDROCK -> mock.cloud().failBedrockStreams("throttlingException", 0);
            case VERTEX -> mock.setBehaviour(mock.behaviour().toBuilder().errorStatus(429).build());
            default -> throw new IllegalStateException(name());
        }
    }

    /** The {@code errors_by_kind} key of {@link #failEveryRequest}'s failure. */
    String failureKind() {
        return failureKind;
    }

    /** Whether that failure asks for a cooldown ({@code retry-after}). */
    boolean asksForCooldown() {
        return asksForCooldown;
    }

    /** What the mock was asked for a message: its token endpoint's and discovery's calls left out. */
    static List<RecordedRequest> messageCalls(MockUpstream mock) {
        return mock.requests().stream().filter(r -> "POST".equals(r.method()) && !r.uri().equals("/token")
                && !r.uri().equals(MockCloud.STS_PATH)).toList();
    }
}
