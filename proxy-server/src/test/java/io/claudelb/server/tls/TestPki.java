package io.claudelb.server.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

/**
 * A throw-away PKI made at test time with the JDK's {@code keytool} (no BouncyCastle): a CA, and one server key with
 * two certificates signed by that CA, one for {@code localhost} (SAN dns:localhost, ip:127.0.0.1) and one for
 * {@code other.example} only. EC P-256 keys, valid for two days; everything lives in the given directory.
 */
final class TestPki {
    private static final String PASSWORD = "test-pki-password";

    /** The CA certificate as PEM, the file an upstream's {@code tls.ca_file} points at. */
    final Path caPem;
    /** The {@code other.example} server certificate as PEM (a file that is valid PEM but not the right CA). */
    final Path otherCertPem;
    private final Path serverKeyStore;
    private final Path caKeyStore;

    private TestPki(Path dir) {
        this.caPem = dir.resolve("ca.pem");
        this.otherCertPem = dir.resolve("other.pem");
        this.serverKeyStore = dir.resolve("server.p12");
        this.caKeyStore = dir.resolve("ca.p12");
    }

    /** Runs keytool eight times (a few seconds). */
    static TestPki create(Path dir) throws IOException, InterruptedException {
        TestPki pki = new TestPki(dir);
        Path csr = dir.resolve("server.csr");
        Path localhostPem = dir.resolve("localhost.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=claude-lb test CA", "-ext", "bc:c", "-validity", "2",
                "-keystore", pki.caKeyStore.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.caKeyStore.toString(),
                "-file", pki.caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-validity", "2", "-keystore", pki.serverKeyStore.toString());
        keytool("-certreq", "-alias", "server", "-keystore", pki.serverKeyStore.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", pki.caKeyStore.toString(), "-infile",
                csr.toString(), "-outfile", localhostPem.toString(), "-validity", "2",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", pki.caKeyStore.toString(), "-infile",
                csr.toString(), "-outfile", pki.otherCertPem.toString(), "-validity", "2",
                "-ext", "SAN=dns:other.example");
        // The keystore's entry becomes the chain localhost <- CA: the CA first, so the reply can be chained to it.
        keytool("-importcert", "-noprompt", "-alias", "ca", "-keystore", pki.serverKeyStore.toString(),
                "-file", pki.caPem.toString());
        keytool("-importcert", "-alias", "server", "-keystore", pki.serverKeyStore.toString(),
                "-file", localhostPem.toString());
        return pki;
    }

    /** A server context presenting the {@code localhost} chain, from the PKCS12 keystore via a KeyManagerFactory. */
    SslContext localhostServer() throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(serverKeys(), PASSWORD.toCharArray());
        return SslContextBuilder.forServer(kmf).build();
    }

    /** A server context presenting the same key with the {@code other.example} certificate (wrong for localhost). */
    SslContext otherServer() throws IOException, GeneralSecurityException {
        KeyStore keys = serverKeys();
        PrivateKey key = (PrivateKey) keys.getKey("server", PASSWORD.toCharArray());
        List<X509Certificate> chain = new ArrayList<>(certificates(otherCertPem));
        chain.addAll(certificates(caPem));
        return SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0])).build();
    }

    private KeyStore serverKeys() throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverKeyStore)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        return keys;
    }

    private static List<X509Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (var c : factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)))) {
            out.add((X509Certificate) c);
        }
        return out;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool is a short-lived JVM: the C1 compiler alone starts it faster.
        command.add("-J-XX:TieredStopAtLevel=1");
        command.addAll(List.of(args));
        // PKCS12 protects keys with the store password: no -keypass, and so no prompt.
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output;
        try (InputStream in = process.getInputStream()) {
            output = in.readAllBytes();
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("keytool " + args[0] + " did not finish in 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed (" + process.exitValue() + "): "
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
