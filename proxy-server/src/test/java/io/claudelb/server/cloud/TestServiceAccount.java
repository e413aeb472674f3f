package io.claudelb.server.cloud;

import io.claudelb.server.mock.MockUpstream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A Google service-account key file made for one test (tests only): a fresh RSA key whose public half the mock Vertex
 * accepts, and whose {@code token_uri} points at the mock's own token endpoint, so claude-lb's Google auth library
 * fetches its tokens there.
 */
final class TestServiceAccount {
    static final String EMAIL = "claude-lb@my-project.iam.gserviceaccount.com";

    private TestServiceAccount() {
    }

    /** Registers a new key with {@code mock} and writes its key file into {@code dir}; returns the file. */
    static Path write(MockUpstream mock, Path dir) throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        mock.cloud().acceptServiceAccount(EMAIL, pair.getPublic());
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        Path key = dir.resolve("sa.json");
        Files.writeString(key, "{\"type\":\"service_account\",\"project_id\":\"my-project\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem.replace("\n", "\\n") + "\",\"client_email\":\"" + EMAIL + "\","
                + "\"client_id\":\"1\",\"token_uri\":\"" + mock.baseUrl() + "/token\"}");
        return key;
    }
}
