package io.claudelb.server.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockAuth;
import io.claudelb.server.mock.MockBehaviour;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockTokens;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.support.Await;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A whole run, with every line the process logs captured (claude-lb's own loggers at DEBUG) and encoded both as a
 * text line and as a JSON line: failed authentications (wrong keys, and a caller sending a configured upstream key as
 * its own), an admin call with a wrong admin key, an upstream that fails with 500, failover to an upstream whose
 * access token is fetched from the mock's OAuth endpoint with a refresh token, then a stream on the fetched token.
 * No line may contain any configured secret, nor a token the mock issued; and every request got exactly one access
 * line under the id its answer carried, local answers included.
 */
class NoSecretInLogsTest {
    private static final String CLIENT_KEY = "ck-alice-7f3a9e1c5b2d";
    private static final String ADMIN_KEY = "adm-0c9b8a7d6e5f4";
    private static final String UPSTREAM_KEY = "sk-upstream-4e5d6c7b8a9f";
    private static final String REFRESH_TOKEN = "rt-relay-1a2b3c4d5e6f";
    private static final String METRICS_TOKEN = "mt-scrape-7f6e5d4c3b2a";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final List<String> lines = new ArrayList<>();
    private final Capture capture = new Capture();
    private MockUpstream broken;
    private MockUpstream relay;
    private ProxyServer proxy;

    /** Encodes every event in both formats, as the two destinations would write it. */
    private final class Capture extends AppenderBase<ILoggingEvent> {
        private final LogstashEncoder json = new LogstashEncoder();
        private final PatternLayoutEncoder text = new PatternLayoutEncoder();

        void begin(LoggerContext context) {
            setContext(context);
            json.setContext(context);
            json.start();
            text.setContext(context);
            text.setPattern("%d %-5level [%thread] %logger - %msg %kvp%n%ex");
            text.start();
            start();
        }

        @Override
        protected void append(ILoggingEvent event) {
            String a = new String(json.encode(event), StandardCharsets.UTF_8);
            String b = new String(text.encode(event), StandardCharsets.UTF_8);
            synchronized (lines) {
                lines.add(a);
                lines.add(b);
            }
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.begin(context);
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(capture);
        context.getLogger("io.claudelb").setLevel(Level.DEBUG);
        context.getLogger("claude-lb").setLevel(Level.DEBUG);

        broken = MockUpstream.start(MockOptions.builder().name("broken").ioThreads(1)
                .behaviour(MockBehaviour.builder().errorStatus(500).build()).build());
        relay = MockUpstream.start(MockOptions.builder().name("relay").ioThreads(1)
                .auth(MockAuth.builder().requireBearer(true).client("relay-client", null)
                        .refreshToken(REFRESH_TOKEN).build()).build());
        String yaml = """
                admin: { api_key: "%s" }
                clients:
                  - { name: alice, key: "%s" }
                upstreams:
                  - name: broken
                    base_url: "%s"
                    auth: { type: api_key, token: "%s" }
                  - name: relay
                    base_url: "%s"
                    auth: { type: oauth_refresh, token_url: "%s/oauth/token", refresh_token: "%s",
                            client_id: relay-client }
                routes:
                  - match: "*"
                    strategy: priority
                    targets: [ { upstream: broken, priority: 0 }, { upstream: relay, priority: 1 } ]
                storage: { enabled: false }
                metrics: { token: "%s" }
                """.formatted(ADMIN_KEY, CLIENT_KEY, broken.baseUrl(), UPSTREAM_KEY, relay.baseUrl(),
                relay.baseUrl(), REFRESH_TOKEN, METRICS_TOKEN);
        proxy = ProxyServer.start(TestConfigs.onFreePort(ConfigLoader.parse(yaml, "secrets.yaml", Map.of())),
                NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        try {
            if (proxy != null) {
                proxy.stop(Duration.ofSeconds(2));
            }
            if (broken != null) {
                broken.close();
            }
            if (relay != null) {
                relay.close();
            }
        } finally {
            LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(capture);
            context.getLogger("io.claudelb").setLevel(null);
            context.getLogger("claude-lb").setLevel(null);
            capture.stop();
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<String> accessLines(String requestId) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith("{") && l.contains("\"logger_name\":\"claude-lb.access\"")
                    && l.contains("\"request_id\":\"" + requestId + "\"")).toList();
        }
    }

    @Test
    void noLineOfARunWithAuthFailuresTokenFetchesAndUpstreamErrorsCarriesASecret() throws Exception {
        String json = "application/json";
        List<HttpResponse<String>> answers = new ArrayList<>();
        answers.add(send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "content-type", json, "x-api-key", "wrong-key-9d8c7b"));
        answers.add(send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "content-type", json, "x-api-key", UPSTREAM_KEY));
        answers.add(send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "content-type", json, "authorization", "Bearer " + REFRESH_TOKEN));
        answers.add(send("POST", "/reset", null, "x-api-key", CLIENT_KEY));
        answers.add(send("GET", "/stats", null, "authorization", "Bearer " + ADMIN_KEY));
        answers.add(send("GET", "/health", null));
        answers.add(send("GET", "/metrics", null, "authorization", "Bearer " + METRICS_TOKEN));
        answers.add(send("GET", "/no-such-endpoint", null, "x-api-key", CLIENT_KEY));
        HttpResponse<String> relayed = send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", false),
                "content-type", json, "x-api-key", CLIENT_KEY);
        answers.add(relayed);
        HttpResponse<String> streamed = send("POST", "/v1/messages", Requests.messages("claude-sonnet-4-5", true),
                "content-type", json, "authorization", "Bearer " + CLIENT_KEY);
        answers.add(streamed);

        assertThat(answers.get(0).statusCode()).isEqualTo(401);
        assertThat(answers.get(1).statusCode()).isEqualTo(401);
        assertThat(answers.get(2).statusCode()).isEqualTo(401);
        assertThat(answers.get(5).statusCode()).isEqualTo(200);
        assertThat(answers.get(6).statusCode()).isEqualTo(200);
        assertThat(answers.get(7).statusCode()).isEqualTo(404);
        assertThat(relayed.statusCode()).isEqualTo(200);
        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(relay.tokens().issuedCount()).as("the access token came from the mock's OAuth endpoint")
                .isPositive();
        assertThat(broken.requests()).as("the failing upstream was tried").isNotEmpty();

        for (HttpResponse<String> answer : answers) {
            String id = answer.headers().firstValue("x-claude-lb-request-id").orElseThrow();
            Await.until("the access line of " + id, () -> !accessLines(id).isEmpty(), Duration.ofSeconds(10));
            assertThat(accessLines(id)).as("one access line for " + answer.uri().getPath()).hasSize(1);
        }
        assertThat(accessLines(relayed.headers().firstValue("x-claude-lb-request-id").orElseThrow()).get(0))
                .contains("\"failures\":[\"http_500\"]", "\"upstream\":\"relay\"", "\"status\":200");

        // The configured secrets, the access tokens the mock issued and the refresh token it rotated to.
        List<String> secrets = new ArrayList<>(List.of(CLIENT_KEY, ADMIN_KEY, UPSTREAM_KEY, REFRESH_TOKEN, METRICS_TOKEN,
                relay.tokens().currentRefreshToken()));
        for (int i = 1; i <= relay.tokens().issuedCount(); i++) {
            secrets.add(MockTokens.token(i));
        }
        List<String> hits = new ArrayList<>();
        synchronized (lines) {
            assertThat(lines).hasSizeGreaterThan(2 * answers.size());
            for (String line : lines) {
                for (String secret : secrets) {
                    if (line.contains(secret)) {
                        hits.add(secret + " in: " + line);
                    }
                }
            }
        }
        assertThat(hits).isEmpty();
    }
}
