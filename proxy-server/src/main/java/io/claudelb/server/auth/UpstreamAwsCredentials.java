package io.claudelb.server.auth;

import io.claudelb.core.config.BedrockSettings;
import io.claudelb.core.config.UpstreamConfig;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * The SigV4 side of every {@code bedrock} upstream with auth type {@code aws} or {@code aws_default}: its
 * {@link AwsCredentialSource} (started on first use, refreshed in the background) and its {@link AwsRequestSigner}.
 * Keyed by the upstream's credential identity ({@link CredentialKey}), like {@link UpstreamTokens}: a reload that
 * keeps an upstream's credential and region keeps its credentials whatever else changed; {@link #retainOnly} stops
 * the refreshes of upstreams that left. Thread-safe.
 */
public final class UpstreamAwsCredentials implements AutoCloseable {
    /** What an attempt on one upstream uses: credentials to wait for, and the signer to sign with. */
    public record AwsSigning(AwsCredentialSource credentials, AwsRequestSigner signer) {
    }

    private final Function<UpstreamConfig, AwsCredentialsProvider> providers;
    private final ScheduledExecutorService executor;
    private final LongSupplier wallMillis;
    private final Clock signingClock;
    private final Map<CredentialKey, AwsSigning> signing = new ConcurrentHashMap<>();

    /** Production wiring: the SDK's providers on the {@link CredentialThread}, the system clock. */
    public UpstreamAwsCredentials() {
        this(AwsProviders::forUpstream, CredentialThread.shared(), System::currentTimeMillis, Clock.systemUTC());
    }

    /** With other providers, thread or clocks (tests). */
    public UpstreamAwsCredentials(Function<UpstreamConfig, AwsCredentialsProvider> providers,
                                  ScheduledExecutorService executor, LongSupplier wallMillis, Clock signingClock) {
        this.providers = providers;
        this.executor = executor;
        this.wallMillis = wallMillis;
        this.signingClock = signingClock;
        // Signers are made on an event loop, at an upstream's first request: the JCE must be loaded before.
        AwsRequestSigner.loadCrypto();
    }

    /** Whether requests to this upstream are SigV4-signed. */
    public static boolean signs(UpstreamConfig upstream) {
        return upstream.bedrock() != null && upstream.auth().type().aws();
    }

    /** The upstream's credentials and signer, or null when it is not signed ({@link #signs}). */
    public AwsSigning signing(UpstreamConfig upstream) {
        if (!signs(upstream)) {
            return null;
        }
        return signing.computeIfAbsent(CredentialKey.of(upstream), k -> new AwsSigning(
                new AwsCredentialSource(upstream.name(), () -> providers.apply(upstream), fixed(upstream), executor,
                        wallMillis).start(),
                new AwsRequestSigner(upstream.bedrock().region(), BedrockSettings.SIGNING_SERVICE, signingClock)));
    }

    /** Static keys without a role: nothing to refresh. */
    static boolean fixed(UpstreamConfig upstream) {
        return upstream.auth().type() == io.claudelb.core.config.AuthType.AWS && !upstream.auth().aws().assumesRole();
    }

    /** Stops and forgets the credentials of every upstream whose credential is not in {@code current} (a reload). */
    public void retainOnly(Collection<UpstreamConfig> current) {
        Set<CredentialKey> kept = current.stream().map(CredentialKey::of).collect(Collectors.toSet());
        signing.entrySet().removeIf(e -> {
            if (kept.contains(e.getKey())) {
                return false;
            }
            e.getValue().credentials().close();
            return true;
        });
    }

    @Override
    public void close() {
        signing.values().forEach(s -> s.credentials().close());
        signing.clear();
    }
}
