package io.claudelb.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.MockAndProxy;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client keys: accepted as x-api-key or Bearer; missing or wrong gets 401 before anything is relayed. */
class ClientAuthTest {
    private static final String ALICE = "sk-lb-alice-5f0c2d";
    private static final String BOB = "sk-lb-bob-91ae77";

    @RegisterExtension
    final MockAndProxy servers = MockAndProxy.of(MockOptions.builder().ioThreads(1).build(),
            mockUrl -> TestConfigs.proxy().client("alice", ALICE).client("bob", BOB).anthropic("up", mockUrl));

    private Response messages(String... headers) {
        return RawHttpClient.exchange(servers.proxy().port(),
                RawHttpClient.post("/v1/messages", Requests.messages("claude-sonnet-4-5", false), headers));
    }

    @Test
    void missingKeyGets401() {
        assertUnauthorized(messages());
        assertThat(servers.mock().requests()).isEmpty();
    }

    @Test
    void wrongKeyGets401AndIsNotEchoed() {
        Response response = messages("x-api-key: sk-lb-alice-5f0c2e");
        assertUnauthorized(response);
        assertThat(response.bodyText()).doesNotContain("sk-lb-alice");
        assertUnauthorized(messages("authorization: Bearer " + ALICE + "x"));
        assertUnauthorized(messages("authorization: Basic " + ALICE));
        assertThat(servers.mock().requests()).isEmpty();
    }

    @Test
    void xApiKeyIsAccepted() {
        assertThat(messages("x-api-key: " + ALICE).status).isEqualTo(200);
        assertThat(messages("x-api-key: " + BOB).status).isEqualTo(200);
        assertThat(servers.mock().requests()).hasSize(2);
    }

    @Test
    void bearerIsAccepted() {
        assertThat(messages("authorization: Bearer " + BOB).status).isEqualTo(200);
        assertThat(messages("Authorization: bearer  " + ALICE + " ").status).isEqualTo(200);
        assertThat(servers.mock().requests()).hasSize(2);
        for (RecordedRequest sent : servers.mock().requests()) {
            assertThat(sent.header("authorization")).isNull();
            assertThat(sent.header("x-api-key")).isEqualTo("sk-upstream-up");
        }
    }

    @Test
    void healthNeedsNoKey() {
        Response health = RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.get("/health"));
        assertThat(health.status).isEqualTo(200);
        assertThat(Json.field(health.bodyText(), "status")).isEqualTo("healthy");
    }

    @Test
    void statsNeedsAKey() {
        assertUnauthorized(RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.get("/stats")));
        assertThat(RawHttpClient.exchange(servers.proxy().port(), RawHttpClient.get("/stats", "x-api-key: " + ALICE))
                .status).isEqualTo(200);
    }

    private static void assertUnauthorized(Response response) {
        assertThat(response.status).isEqualTo(401);
        assertThat(Json.field(response.bodyText(), "type")).isEqualTo("error");
        assertThat(Json.field(response.bodyText(), "error.type")).isEqualTo("authentication_error");
        assertThat(response.header("x-claude-lb-request-id")).startsWith("lbreq_");
    }
}
