package io.claudelb.server.auth;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamConfig;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Fetches Google access tokens for one {@code vertex} upstream with Google's auth library, as the {@link TokenFetcher}
 * of its {@link TokenSource} (which caches each token, refreshes it in the background at 80% of its lifetime and makes
 * every request wait without blocking):
 * <ul>
 *   <li>{@code google_service_account}: the key file's {@code ServiceAccountCredentials} (a JWT assertion signed with
 *       its private key, exchanged at the key file's own {@code token_uri});</li>
 *   <li>{@code google_default}: Application Default Credentials ({@code GOOGLE_APPLICATION_CREDENTIALS}, the gcloud
 *       user file, or the metadata server on Google Cloud).</li>
 * </ul>
 * Both with the {@value #SCOPE} scope. The library blocks (file read, HTTP), so every call runs on the
 * {@link CredentialThread}; the credentials object is created there on first use and kept.
 */
public final class GoogleTokenFetcher implements TokenFetcher {
    /** The OAuth scope Vertex AI's prediction endpoints accept. */
    public static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

    private final UpstreamConfig upstream;
    private final Executor executor;
    private final LongSupplier wallMillis;
    private volatile GoogleCredentials credentials;

    /** @param upstream a vertex upstream with auth type google_service_account or google_default */
    public GoogleTokenFetcher(UpstreamConfig upstream, Executor executor, LongSupplier wallMillis) {
        if (!upstream.auth().type().google()) {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' does not use Google credentials");
        }
        this.upstream = upstream;
        this.executor = Objects.requireNonNull(executor, "executor");
        this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
    }

    @Override
    public Future<TokenResponse> fetch(EventLoop loop, Secret unusedRefreshToken) {
        Promise<TokenResponse> promise = loop.newPromise();
        executor.execute(() -> {
            try {
                AccessToken token = credentials().refreshAccessToken();
                long expiresIn = token.getExpirationTime() == null ? 0
                        : Math.max(1, (token.getExpirationTime().getTime() - wallMillis.getAsLong()) / 1000);
                promise.trySuccess(new TokenResponse(token.getTokenValue(), expiresIn, null));
            } catch (IOException | RuntimeException e) {
                // The library's messages name the token endpoint's answer or the file problem, not the key.
                promise.tryFailure(new TokenException("Google credentials of upstream '" + upstream.name()
                        + "' gave no access token: " + e.getMessage(), e));
            }
        });
        return promise;
    }

    private GoogleCredentials credentials() throws IOException {
        GoogleCredentials c = credentials;
        if (c == null) {
            if (upstream.auth().type() == AuthType.GOOGLE_SERVICE_ACCOUNT) {
                try (InputStream in = Files.newInputStream(upstream.auth().keyFile())) {
                    c = GoogleCredentials.fromStream(in);
                }
            } else {
                c = GoogleCredentials.getApplicationDefault();
            }
            c = c.createScoped(List.of(SCOPE));
            credentials = c;
        }
        return c;
    }
}
