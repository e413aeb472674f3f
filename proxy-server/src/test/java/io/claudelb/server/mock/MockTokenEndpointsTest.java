package io.claudelb.server.mock;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.server.support.FakeClock;
import io.claudelb.server.support.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The mock's OAuth side over real HTTP: issuing, client checks, rotation, refusal, and the bearer requirement. */
class MockTokenEndpointsTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeClock clock = new FakeClock();
    private MockUpstream mock;

    @BeforeEach
    void start() {
        mock = MockUpstream.start(MockOptions.builder().ioThreads(1).auth(MockAuth.builder()
                .requireBearer(true).client("cid", "csecret").tokenLifetime(Duration.ofSeconds(60))
                .refreshToken("rt-start").clock(clock).build()).build());
    }

    @AfterEach
    void stop() {
        mock.close();
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(mock.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> messages(String token) throws Exception {
        return post("/serving-endpoints/anthropic/v1/messages", "{\"model\":\"m\",\"messages\":[]}",
                "authorization", "Bearer " + token);
    }

    @Test
    void clientCredentialsIssueABearerTokenTheModelEndpointAccepts() throws Exception {
        HttpResponse<String> r = post("/oidc/v1/token", "grant_type=client_credentials&scope=all-apis",
                "authorization", basic("cid", "csecret"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Json.field(r.body(), "access_token")).isEqualTo(MockTokens.token(1));
        assertThat(Json.field(r.body(), "token_type")).isEqualTo("Bearer");
        assertThat(Json.field(r.body(), "expires_in")).isEqualTo("60");
        assertThat(mock.tokens().issuedCount()).isEqualTo(1);
        assertThat(messages(MockTokens.token(1)).statusCode()).isEqualTo(200);
        assertThat(messages("made-up").statusCode()).isEqualTo(401);
        assertThat(post("/v1/messages/count_tokens", "{\"model\":\"m\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void tokensExpireByTheClockAndCanBeRevoked() throws Exception {
        post("/oidc/v1/token", "grant_type=client_credentials", "authorization", basic("cid", "csecret"));
        clock.advance(Duration.ofSeconds(59));
        assertThat(messages(MockTokens.token(1)).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        HttpResponse<String> expired = messages(MockTokens.token(1));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(Json.field(expired.body(), "error.type")).isEqualTo("authentication_error");
        post("/oidc/v1/token", "grant_type=client_credentials&client_id=cid&client_secret=csecret");
        assertThat(messages(MockTokens.token(2)).statusCode()).isEqualTo(200);
        mock.tokens().revokeAll();
        assertThat(messages(MockTokens.token(2)).statusCode()).isEqualTo(401);
    }

    @Test
    void wrongClientsAndRefusalsGetOAuthErrors() throws Exception {
        HttpResponse<String> wrong = post("/oidc/v1/token", "grant_type=client_credentials",
                "authorization", basic("cid", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(Json.field(wrong.body(), "error")).isEqualTo("invalid_client");
        mock.tokens().rejectTokenRequests(true);
        assertThat(post("/oidc/v1/token", "grant_type=client_credentials", "authorization", basic("cid", "csecret"))
                .statusCode()).isEqualTo(401);
        mock.tokens().rejectTokenRequests(false);
        HttpResponse<String> grant = post("/oauth/token", "grant_type=password", "authorization",
                basic("cid", "csecret"));
        assertThat(Json.field(grant.body(), "error")).isEqualTo("unsupported_grant_type");
        assertThat(mock.tokens().issuedCount()).isZero();
    }

    @Test
    void refreshTokensRotateOnEachUseAndOldOnesStopWorking() throws Exception {
        HttpResponse<String> first = post("/oauth/token", "grant_type=refresh_token&refresh_token=rt-start"
                + "&client_id=cid&client_secret=csecret");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(Json.field(first.body(), "refresh_token")).isEqualTo("mock-refresh-1");
        HttpResponse<String> reused = post("/oauth/token", "grant_type=refresh_token&refresh_token=rt-start"
                + "&client_id=cid&client_secret=csecret");
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(Json.field(reused.body(), "error")).isEqualTo("invalid_grant");
        HttpResponse<String> second = post("/oauth/token", "grant_type=refresh_token&refresh_token=mock-refresh-1",
                "authorization", basic("cid", "csecret"));
        assertThat(Json.field(second.body(), "refresh_token")).isEqualTo("mock-refresh-2");
        assertThat(mock.tokens().currentRefreshToken()).isEqualTo("mock-refresh-2");
        assertThat(mock.tokens().issuedCount()).isEqualTo(2);
    }

    @Test
    void withoutTheRequirementModelRequestsNeedNoToken() throws Exception {
        try (MockUpstream open = MockUpstream.start(MockOptions.builder().ioThreads(1).build())) {
            HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(open.baseUrl() + "/v1/messages"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
