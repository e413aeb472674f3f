package io.claudelb.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.claudelb.core.config.AffinityMode;
import io.claudelb.core.config.BalancingSettings;
import io.claudelb.core.config.ConfigLoader;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.Strategy;
import io.claudelb.core.config.TimeoutSettings;
import io.claudelb.core.config.TlsSettings;
import io.claudelb.core.config.UpstreamAuth;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.core.time.NanoClock;
import io.claudelb.server.ProxyServer;
import io.claudelb.server.mock.MockOptions;
import io.claudelb.server.mock.MockUpstream;
import io.claudelb.server.mock.RecordedRequest;
import io.claudelb.server.support.Json;
import io.claudelb.server.support.RawHttpClient;
import io.claudelb.server.support.RawHttpClient.Response;
import io.claudelb.server.support.Requests;
import io.claudelb.server.support.TestConfigs;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https upstreams behind the proxy, against a mock in HTTPS mode with certificates made at test time by
 * {@link TestPki}: a private CA trusted through {@code tls.ca_file} carries streams and JSON over one kept-alive
 * connection; a certificate for another host, or a CA the upstream does not trust, is a {@code tls} failure in
 * /stats that fails over to a healthy upstream, or gets the proxy's own failure answer when none is left.
 */
class HttpsUpstreamTest {
    private static final String MODEL = "claude-sonnet-4-5";
    /** The order of attempts is the upstreams' priority order, with no affinity. */
    private static final BalancingSettings IN_ORDER = new BalancingSettings(Strategy.PRIORITY, AffinityMode.NONE,
            Duration.ofHours(1), 1000);

    @TempDir
    static Path pkiDir;
    private static TestPki pki;
    private static SslContext localhostCert;
    private static SslContext otherHostCert;

    @TempDir
    Path dir;
    private final List<MockUpstream> mocks = new ArrayList<>();
    private ProxyServer proxy;

    @BeforeAll
    static void makeCertificates() throws Exception {
        pki = TestPki.create(pkiDir);
        localhostCert = pki.localhostServer();
        otherHostCert = pki.otherServer();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ofSeconds(1));
        }
        mocks.forEach(MockUpstream::close);
    }

    private MockUpstream mock(String name, SslContext tls) {
        MockUpstream mock = MockUpstream.start(MockOptions.builder().name(name).ioThreads(1).tls(tls).build());
        mocks.add(mock);
        return mock;
    }

    private static UpstreamConfig upstream(String name, String baseUrl, int priority, TlsSettings tls) {
        return UpstreamConfig.builder(name, UpstreamKind.ANTHROPIC).baseUrl(baseUrl)
                .auth(UpstreamAuth.apiKey("sk-upstream-" + name)).priority(priority)
                .timeouts(new TimeoutSettings(Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(10)))
                .tls(tls).build();
    }

    private void startProxy(GatewayConfig config) throws InterruptedException {
        proxy = ProxyServer.start(config, NanoClock.SYSTEM, "test");
    }

    private Response messages(boolean stream) {
        return RawHttpClient.exchange(proxy.port(), RawHttpClient.post("/v1/messages", Requests.messages(MODEL,
                stream)));
    }

    /** One count of {@code errors_by_kind} of one upstream in /stats, as text; null when /stats has none. */
    private String errorsByKind(String upstream, String kind) {
        String stats = RawHttpClient.exchange(proxy.port(), RawHttpClient.get("/stats")).bodyText();
        for (int i = 0; Json.field(stats, "endpoints." + i + ".name") != null; i++) {
            if (upstream.equals(Json.field(stats, "endpoints." + i + ".name"))) {
                return Json.field(stats, "endpoints." + i + ".errors_by_kind." + kind);
            }
        }
        throw new AssertionError("no upstream " + upstream + " in /stats: " + stats);
    }

    @Test
    void privateCaFromTheConfigFileCarriesStreamsAndJsonOverOneConnection() throws Exception {
        MockUpstream corp = mock("corp", localhostCert);
        String yaml = "server: { io_threads: 1 }\n"
                + "upstreams:\n"
                + "  - name: corp\n"
                + "    base_url: https://localhost:" + corp.port() + "/relay\n"
                + "    auth: { type: api_key, token: sk-corp }\n"
                + "    tls: { ca_file: '" + pki.caPem + "' }\n";
        startProxy(TestConfigs.onFreePort(ConfigLoader.parse(yaml, "corp.yaml", Map.of())));

        try (RawHttpClient client = RawHttpClient.connect(proxy.port())) {
            client.send(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, true)));
            Response stream = client.read();
            assertThat(stream.status).isEqualTo(200);
            assertThat(stream.header("content-type")).startsWith("text/event-stream");
            assertThat(stream.header("x-claude-lb-upstream")).isEqualTo("corp");
            assertThat(stream.bodyText()).contains("event: message_start").endsWith("event: message_stop\n"
                    + "data: {\"type\":\"message_stop\"}\n\n");

            client.send(RawHttpClient.post("/v1/messages", Requests.messages(MODEL, false)));
            Response json = client.read();
            assertThat(json.status).isEqualTo(200);
            assertThat(Json.field(json.bodyText(), "type")).isEqualTo("message");
            assertThat(Json.field(json.bodyText(), "model")).isEqualTo(MODEL);
        }
        assertThat(messages(false).status).isEqualTo(200);

        List<RecordedRequest> requests = corp.requests();
        assertThat(requests).extracting(RecordedRequest::uri).containsOnly("/relay/v1/messages");
        assertThat(requests).extracting(r -> r.header("host")).containsOnly("localhost:" + corp.port());
        assertThat(requests).extracting(r -> r.header("x-api-key")).containsOnly("sk-corp");
        // Keep-alive over TLS: one handshake, one connection for all three exchanges.
        assertThat(requests).extracting(RecordedRequest::connectionId).containsExactly(1L, 1L, 1L);
        assertThat(requests).extracting(RecordedRequest::requestOnConnection).containsExactly(1, 2, 3);
        assertThat(corp.connectionsAccepted()).isEqualTo(1);
        assertThat(proxy.openBackendConnections()).isEqualTo(1);
        assertThat(errorsByKind("corp", "tls")).isNull();
    }

    @Test
    void anIpAddressBaseUrlIsVerifiedAgainstTheIpInTheCertificate() throws Exception {
        MockUpstream corp = mock("corp", localhostCert);
        assertThat(corp.baseUrl()).isEqualTo("https://127.0.0.1:" + corp.port());
        startProxy(TestConfigs.proxy().upstream(upstream("corp", corp.baseUrl(), 0, new TlsSettings(pki.caPem)))
                .build());

        Response response = messages(true);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("x-claude-lb-upstream")).isEqualTo("corp");
    }

    @Test
    void aCertificateForAnotherHostFailsAsTlsAndFailsOver() throws Exception {
        MockUpstream wrongHost = mock("wrong-host", otherHostCert);
        MockUpstream backup = mock("backup", null);
        startProxy(TestConfigs.proxy().balancing(IN_ORDER)
                .upstream(upstream("wrong-host", "https://localhost:" + wrongHost.port(), 0,
                        new TlsSettings(pki.caPem)))
                .upstream(upstream("backup", backup.baseUrl(), 1, null))
                .build());

        Response response = messages(true);

        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("x-claude-lb-upstream")).isEqualTo("backup");
        assertThat(response.bodyText()).contains("event: message_stop");
        // The handshake was tried (a TLS failure, not a refused connection) and no request crossed it.
        assertThat(wrongHost.connectionsAccepted()).isEqualTo(1);
        assertThat(wrongHost.requests()).isEmpty();
        assertThat(backup.requests()).hasSize(1);
        assertThat(errorsByKind("wrong-host", "tls")).isEqualTo("1");
        assertThat(errorsByKind("backup", "tls")).isNull();
    }

    @Test
    void aCertificateForAnotherHostAloneGetsTheProxysFailureAnswer() throws Exception {
        MockUpstream wrongHost = mock("wrong-host", otherHostCert);
        startProxy(TestConfigs.proxy()
                .upstream(upstream("wrong-host", "https://localhost:" + wrongHost.port(), 0,
                        new TlsSettings(pki.caPem)))
                .build());

        Response response = messages(false);

        assertProxyFailureAnswer(response);
        assertThat(wrongHost.requests()).isEmpty();
        assertThat(errorsByKind("wrong-host", "tls")).isEqualTo("1");
    }

    @Test
    void aPrivateCaIsNotTrustedWithoutCaFile() throws Exception {
        MockUpstream corp = mock("corp", localhostCert);
        startProxy(TestConfigs.proxy()
                .upstream(upstream("corp", "https://localhost:" + corp.port(), 0, TlsSettings.DEFAULTS)).build());

        Response response = messages(true);

        assertProxyFailureAnswer(response);
        assertThat(corp.connectionsAccepted()).isEqualTo(1);
        assertThat(corp.requests()).isEmpty();
        assertThat(errorsByKind("corp", "tls")).isEqualTo("1");
    }

    @Test
    void aReplacedCaFileIsReadAgainAtReload() throws Exception {
        MockUpstream corp = mock("corp", localhostCert);
        // First the file holds a valid certificate that is not the CA: the handshake fails.
        Path caFile = Files.copy(pki.otherCertPem, dir.resolve("corp-ca.pem"));
        GatewayConfig config = TestConfigs.proxy()
                .upstream(upstream("corp", "https://localhost:" + corp.port(), 0, new TlsSettings(caFile))).build();
        startProxy(config);
        assertProxyFailureAnswer(messages(false));
        assertThat(errorsByKind("corp", "tls")).isEqualTo("1");

        // The contexts are built with the config snapshot, not per connection: the replaced file is read at reload.
        Files.copy(pki.caPem, caFile, StandardCopyOption.REPLACE_EXISTING);
        assertProxyFailureAnswer(messages(false));
        proxy.gateway().reload(config);

        Response response = messages(false);
        assertThat(response.status).isEqualTo(200);
        assertThat(response.header("x-claude-lb-upstream")).isEqualTo("corp");
        assertThat(corp.requests()).hasSize(1);
    }

    /** The proxy's own answer when every attempt failed before a response: no upstream named, an api_error. */
    private static void assertProxyFailureAnswer(Response response) {
        assertThat(response.status).isEqualTo(503);
        assertThat(response.header("x-claude-lb-upstream")).isNull();
        assertThat(Json.field(response.bodyText(), "type")).isEqualTo("error");
        assertThat(Json.field(response.bodyText(), "error.type")).isEqualTo("api_error");
        assertThat(response.bodyText()).doesNotContain("localhost").doesNotContain("https://");
    }
}
