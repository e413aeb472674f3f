package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A JSON answer is relayed unchanged, with the upstream's headers and claude-lb's own two. */
class NonStreamingRelayTest {
    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().name("up-json")
            .behaviour(MockBehaviour.builder().toolUse(true).build()).ioThreads(1).build(),
            mockUrl -> TestConfigs.proxy().anthropic("east", mockUrl));

    @Test
    void jsonBodyIsIdenticalToADirectCall() {
        String body = Requests.messages("claude-sonnet-4-5", false);
        Response direct = RawHttpClient.exchange(servers.mock().port(), RawHttpClient.post("/v1/messages", body));
        Response relayed = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages", body));

        assertThat(relayed.status).isEqualTo(200);
        assertThat(relayed.bodyBytes()).isEqualTo(direct.bodyBytes());
        assertThat(Json.field(relayed.bodyText(), "type")).isEqualTo("message");
        assertThat(Json.field(relayed.bodyText(), "model")).isEqualTo("claude-sonnet-4-5");
        assertThat(Json.field(relayed.bodyText(), "usage.output_tokens")).isNotNull();
        assertThat(relayed.header("content-length")).isEqualTo(String.valueOf(direct.bodyBytes().length));
    }

    @Test
    void upstreamHeadersComeBackWithClaudeLbsOwn() {
        Response relayed = RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false)));

        assertThat(relayed.header("content-type")).isEqualTo("application/json");
        assertThat(relayed.header("request-id")).matches("req_mock_\\d+");
        assertThat(relayed.header("x-mock-upstream")).isEqualTo("up-json");
        assertThat(relayed.header("anthropic-ratelimit-requests-limit")).isEqualTo("1000");
        assertThat(relayed.header("anthropic-ratelimit-requests-remaining")).isEqualTo("999");
        assertThat(relayed.header("anthropic-ratelimit-input-tokens-limit")).isEqualTo("80000");
        assertThat(relayed.header("anthropic-ratelimit-input-tokens-remaining")).isEqualTo("80000");
        assertThat(relayed.header("x-claude-lb-upstream")).isEqualTo("east");
        assertThat(relayed.header("x-claude-lb-request-id")).matches("lbreq_[0-9a-f]{24}");
    }

    @Test
    void upstreamErrorStatusIsRelayedWithItsHeaders() {
        Response relayed = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-sonnet-4-5", false), "x-mock-status: 400"));

        assertThat(relayed.status).isEqualTo(400);
        assertThat(Json.field(relayed.bodyText(), "error.type")).isEqualTo("invalid_request_error");
        assertThat(relayed.header("request-id")).matches("req_mock_\\d+");
        assertThat(relayed.header("x-claude-lb-upstream")).isEqualTo("east");
        assertThat(relayed.header("x-claude-lb-request-id")).startsWith("lbreq_");
    }
}
