package io.claudelb.server.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.config.VertexSettings;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.Sse;
import io.claudelb.server.support.TestConfigs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auth: { type: google_default }} through claude-lb: Google's Application Default Credentials find a
 * service-account key in gcloud's well-known file, {@code $HOME/.config/gcloud/application_default_credentials.json}
 * (what {@code gcloud auth application-default login} or a mounted key leaves there), which the auth library locates
 * from the {@code user.home} system property at the time it is asked; so the test points {@code user.home} at a
 * temporary directory and restores it afterwards. The key's {@code token_uri} is the mock's token endpoint, and the
 * mock Vertex accepts only a token it issued. Needs {@code GOOGLE_APPLICATION_CREDENTIALS} and
 * {@code CLOUDSDK_CONFIG} unset, as they take precedence over the well-known file. The auth library caches what
 * ADC found for the rest of the JVM, so this is the one test that resolves ADC; another would get this mock's key.
 */
class VertexApplicationDefaultCredentialsThroughProxyTest {
    private static final String USER_HOME = "user.home";
    private static final String MODEL = "claude-opus-4-7@20260101";

    @TempDir
    Path home;
    private String originalHome;
    private MockUpstream vertex;
    private ProxyServer proxy;

    @BeforeEach
    void start() throws Exception {
        vertex = MockUpstream.start(MockOptions.builder().name("vertex").build());
        Path gcloud = Files.createDirectories(home.resolve(".config").resolve("gcloud"));
        Files.move(TestServiceAccount.write(vertex, gcloud), gcloud.resolve("application_default_credentials.json"));
        originalHome = System.getProperty(USER_HOME);
        System.setProperty(USER_HOME, home.toString());
        UpstreamConfig upstream = UpstreamConfig.builder("vertex", UpstreamKind.VERTEX).baseUrl(vertex.baseUrl())
                .auth(new UpstreamAuth(AuthType.GOOGLE_DEFAULT, null, null, null, null, null))
                .timeouts(TestConfigs.FAST).vertex(new VertexSettings("my-project", "us-east5")).build();
        proxy = ProxyServer.start(TestConfigs.proxy().upstream(upstream)
                .route(new RouteConfig("*", List.of(new TargetConfig("vertex", MODEL, 0, 0)), Strategy.PRIORITY))
                .build(), NanoClock.SYSTEM, "test");
    }

    @AfterEach
    void stop() {
        System.setProperty(USER_HOME, originalHome);
        proxy.stop(Duration.ofSeconds(5));
        vertex.close();
    }

    @Test
    void theWellKnownFilesServiceAccountGetsTheTokenTheMockVertexAccepts() {
        RawHttpClient.Response r = RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages",
                Requests.messages("claude-opus-4-7", true)));

        assertThat(r.status).as(r.bodyText()).isEqualTo(200);
        assertThat(r.upstream()).isEqualTo("vertex");
        assertThat(r.events()).extracting(Sse.Event::event).endsWith("message_stop");
        List<RecordedRequest> calls = vertex.requests().stream().filter(c -> !c.uri().equals("/token")).toList();
        assertThat(calls).singleElement().satisfies(sent ->
                assertThat(sent.header("authorization")).isEqualTo("Bearer ya29.mock-1"));
        assertThat(vertex.requests()).filteredOn(c -> c.uri().equals("/token")).hasSize(1);
        assertThat(vertex.cloud().googleTokensIssued()).isEqualTo(1);
    }
}
