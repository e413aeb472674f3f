package io.claudelb.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code upstreams[].tls.ca_file}: read, checked when the config loads, refused where it would be ignored. */
class TlsConfigTest {
    /** A self-signed CA certificate (keytool, EC P-256); its private key was thrown away. */
    private static final String CA_PEM = """
            -----BEGIN CERTIFICATE-----
            MIIBcTCCARegAwIBAgIJAMgBNTAs/f5eMAoGCCqGSM49BAMCMCMxITAfBgNVBAMT
            GGNsYXVkZS1sYiBjb25maWcgdGVzdCBDQTAgFw0yNjExMjIwMTQwMDBaGA8yMTI2
            MTAyOTAxNDAwMFowIzEhMB8GA1UEAxMYY2xhdWRlLWxiIGNvbmZpZyB0ZXN0IENB
            MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE5WgqeVi7XDVpEyOyIcZLx+m8GSX4
            c3ZlEXM4bxuH1MCsL74N2VMy7kaRE2lvKlSgPKvPhhE3PvjpN81xOtpf1qMyMDAw
            HQYDVR0OBBYEFOQsb+A75cQUftVnQJOfUjEUtF8lMA8GA1UdEwEB/wQFMAMBAf8w
            CgYIKoZIzj0EAwIDSAAwRQIgLM7FzGJkC8yV4lI2IAJ32OMWU4hsW3NHnsnCJfx6
            uBwCIQDXbtga1YTvrvfxlhk8ppVRUOtUHHBZT9O26ycUIlyd6g==
            -----END CERTIFICATE-----
            """;

    @TempDir
    Path dir;

    private static GatewayConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "test.yaml", Map.of());
    }

    private static String upstream(String baseUrl, String tls) {
        return "upstreams:\n  - { name: corp, base_url: '" + baseUrl + "', tls: " + tls + " }\n";
    }

    private static String caFile(Path file) {
        return "{ ca_file: '" + file + "' }";
    }

    private static void assertError(String yaml, String key, String problemPart) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
        assertThat(e).as("expected a ConfigException for:%n%s", yaml).isNotNull();
        assertThat(e.key()).isEqualTo(key);
        assertThat(e.problem()).contains(problemPart);
    }

    @Test
    void caFileIsReadAsAnAbsolutePathAndDescribed() throws IOException {
        // A bundle: two certificates with text around them, as `openssl x509 -text` output leaves it.
        Path bundle = Files.writeString(dir.resolve("corp-ca.pem"), "subject=CN = one\n" + CA_PEM + "\n# two\n"
                + CA_PEM);
        GatewayConfig c = parse(upstream("https://relay.corp.example", caFile(bundle)));

        UpstreamConfig corp = c.upstreams().get(0);
        assertThat(corp.tls()).isEqualTo(new TlsSettings(bundle));
        assertThat(corp.tls().caFile()).isAbsolute().isEqualTo(bundle.toAbsolutePath());
        assertThat(corp.https()).isTrue();
        assertThat(ConfigDescriber.describe(c))
                .contains("    tls: trusts only the CAs in " + bundle.toAbsolutePath() + " (not the JVM trust store)");
    }

    @Test
    void withoutTlsTheJvmTrustStoreIsUsedAndNothingIsDescribed() {
        GatewayConfig c = parse("upstreams: [ { name: a, base_url: 'https://api.anthropic.com' } ]");
        assertThat(c.upstreams().get(0).tls()).isEqualTo(TlsSettings.DEFAULTS);
        assertThat(TlsSettings.DEFAULTS.hasCaFile()).isFalse();
        assertThat(ConfigDescriber.describe(c)).doesNotContain("tls:");
    }

    @Test
    void relativePathIsResolvedAgainstTheWorkingDirectory() {
        TlsSettings tls = new TlsSettings(Path.of("certs/ca.pem"));
        assertThat(tls.caFile()).isEqualTo(Path.of("").toAbsolutePath().resolve("certs/ca.pem"));
    }

    @Test
    void fileProblemsNameTheKey() throws IOException {
        String key = "upstreams[0].tls.ca_file";
        assertError(upstream("https://h", caFile(dir.resolve("missing.pem"))), key, "file not found: ");
        assertError(upstream("https://h", caFile(dir)), key, "is a directory");
        Path text = Files.writeString(dir.resolve("key.txt"), "not a certificate\n");
        assertError(upstream("https://h", caFile(text)), key, "contains no PEM certificate");
        Path broken = Files.writeString(dir.resolve("broken.pem"), CA_PEM.replace("MIIB", "MIIZ"));
        assertError(upstream("https://h", caFile(broken)), key, "certificate 1 is not a valid X.509 certificate");
        assertError(upstream("https://h", "{ ca_file: '' }"), key, "must not be empty");
        assertError(upstream("https://h", "{}"), key, "is required");
    }

    @Test
    void unreadableFileIsAnError() throws IOException {
        // Unreadable for everyone, root included (CI runs as root, and root reads a file whatever its mode): two
        // symbolic links pointing at each other, which the file system refuses to open (ELOOP).
        Path loop = dir.resolve("loop.pem");
        Files.createSymbolicLink(loop, dir.resolve("other.pem"));
        Files.createSymbolicLink(dir.resolve("other.pem"), loop);
        assertError(upstream("https://h", caFile(loop)), "upstreams[0].tls.ca_file",
                "cannot be read (FileSystemException): " + loop);
    }

    @Test
    void tlsOnAnHttpUpstreamOrWithUnknownKeysIsRefused() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), CA_PEM);
        // The scheme mistake is reported even when the file is also missing.
        assertError(upstream("http://relay:8080", caFile(dir.resolve("missing.pem"))), "upstreams[0].tls",
                "only applies to an https:// base_url; this one is http://");
        assertError(upstream("https://h", "{ ca_file: '" + ca + "', insecure: true }"), "upstreams[0].tls.insecure",
                "unknown key");
        assertError(upstream("https://h", "yes"), "upstreams[0].tls", "expected a mapping");
    }

    @Test
    void aDisabledUpstreamsFileIsNotChecked() {
        GatewayConfig c = parse("upstreams:\n"
                + "  - { name: a, base_url: 'https://h' }\n"
                + "  - { name: b, enabled: false, base_url: 'https://h', tls: { ca_file: /nonexistent/ca.pem } }\n");
        assertThat(c.upstreams()).extracting(UpstreamConfig::name).containsExactly("a");
    }

    @Test
    void recordKeepsItsOlderConstructorsAndRefusesACaFileOnHttp() {
        UpstreamConfig plain = UpstreamConfig.builder("a", UpstreamKind.ANTHROPIC).baseUrl("https://h").build();
        assertThat(plain.tls()).isEqualTo(TlsSettings.DEFAULTS);
        UpstreamConfig withOpenAi = UpstreamConfig.builder("a", UpstreamKind.OPENAI).baseUrl("https://h")
                .openai(OpenAiSettings.DEFAULTS).build();
        assertThat(withOpenAi.tls()).isEqualTo(TlsSettings.DEFAULTS);
        assertThat(UpstreamConfig.builder("a", UpstreamKind.ANTHROPIC).baseUrl("http://h:80").build().tls()).isEqualTo(TlsSettings.DEFAULTS);
        assertThatThrownBy(() -> UpstreamConfig.builder("a", UpstreamKind.ANTHROPIC).baseUrl("http://h:80")
                .tls(TlsSettings.caFile(Path.of("/ca.pem"))).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("tls"));
    }
}
