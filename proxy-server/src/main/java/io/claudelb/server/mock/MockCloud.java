package io.claudelb.server.mock;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cloud side of one {@link MockUpstream}, set by tests at runtime: the AWS credentials its Bedrock routes accept
 * (each request's SigV4 signature is recomputed from the mock's copy, {@link SigV4Verifier}) and the temporary ones
 * its container credentials endpoint ({@link #CONTAINER_CREDENTIALS_PATH}) and its STS {@code AssumeRole}
 * ({@link #STS_PATH}) hand out, the roles assumed, the Google service
 * accounts its token endpoint accepts and the access tokens it issued (the Vertex routes require one once a service
 * account is registered), and the serving endpoints its Databricks workspace lists. Thread-safe, lock-free.
 */
public final class MockCloud {
    /** A secret key the Bedrock routes verify signatures with, and the session token that must come with it. */
    record AwsKey(String secretAccessKey, String sessionToken) {
    }

    /** Temporary AWS credentials the container credentials endpoint issued. */
    record IssuedAwsKey(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    }

    /**
     * The path of the mock's container credentials endpoint (what ECS and EKS pod identity serve at
     * {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}): {@code GET} answers
     * {@code {"AccessKeyId","SecretAccessKey","Token","Expiration"}} with new numbered temporary keys, which the
     * Bedrock routes then accept.
     */
    public static final String CONTAINER_CREDENTIALS_PATH = "/aws/container-credentials";

    /** One {@code AssumeRole} the mock's STS answered: which access key signed it and what it asked for. */
    public record AssumeRoleCall(String signedWith, String roleArn, String roleSessionName, String externalId) {
    }

    /**
     * One {@code AssumeRoleWithWebIdentity} the mock's STS answered (unsigned, as EKS/IRSA pods call it): the role,
     * the session name and the token read from {@code AWS_WEB_IDENTITY_TOKEN_FILE}.
     */
    public record WebIdentityCall(String roleArn, String roleSessionName, String webIdentityToken) {
    }

    /**
     * The path of the mock's STS endpoint, its root as at {@code sts.<region>.amazonaws.com} (the SDK's STS client
     * points at the mock with {@code aws.endpointUrlSts}, the service-specific endpoint override): {@code POST} of the
     * query-protocol form {@code Action=AssumeRole}, SigV4-signed (service {@code sts}) with a key the mock accepts,
     * or {@code Action=AssumeRoleWithWebIdentity}, unsigned with a token it accepts, answers with new numbered
     * temporary keys, which the Bedrock routes then accept.
     */
    public static final String STS_PATH = "/";

    private final Map<String, AwsKey> awsKeys = new ConcurrentHashMap<>();
    private final AtomicInteger signaturesVerified = new AtomicInteger();
    private final AtomicInteger signaturesRejected = new AtomicInteger();
    private final AtomicInteger awsCredentialsIssued = new AtomicInteger();
    private final List<AssumeRoleCall> assumeRoleCalls = new CopyOnWriteArrayList<>();
    private final AtomicInteger assumeRoleRefusals = new AtomicInteger();
    private final Set<String> webIdentityTokens = ConcurrentHashMap.newKeySet();
    private final List<WebIdentityCall> webIdentityCalls = new CopyOnWriteArrayList<>();
    private volatile Duration awsCredentialLifetime = Duration.ofHours(6);
    private volatile String containerAuthorization;
    private final Map<String, PublicKey> serviceAccounts = new ConcurrentHashMap<>();
    private final Map<String, Long> googleTokens = new ConcurrentHashMap<>();
    private final AtomicInteger googleTokensIssued = new AtomicInteger();
    private volatile Duration googleTokenLifetime = Duration.ofHours(1);
    private final List<String> servingEndpoints = new CopyOnWriteArrayList<>();
    private final AtomicInteger endpointListings = new AtomicInteger();
    private volatile String lastListingAuthorization;
    /** An exception frame every Bedrock stream ends with (null: none), and after how many events. */
    private volatile String bedrockException;
    private volatile int bedrockExceptionAfter;

    MockCloud() {
    }

    /** Bedrock requests must be signed with this key pair (and, when not null, carry this session token). */
    public void acceptAwsKey(String accessKeyId, String secretAccessKey, String sessionToken) {
        awsKeys.put(accessKeyId, new AwsKey(secretAccessKey, sessionToken));
    }

    /** Bedrock requests signed with this access key are refused from now on (as AWS refuses an expired key). */
    public void revokeAwsKey(String accessKeyId) {
        awsKeys.remove(accessKeyId);
    }

    /** Lifetime of the temporary credentials the container credentials endpoint and STS issue from now on. */
    public void setAwsCredentialLifetime(Duration lifetime) {
        awsCredentialLifetime = lifetime;
    }

    /**
     * The container credentials endpoint wants this {@code Authorization} value (what
     * {@code AWS_CONTAINER_AUTHORIZATION_TOKEN} holds for the SDK), or any when null.
     */
    public void requireContainerAuthorization(String token) {
        containerAuthorization = token;
    }

    String containerAuthorization() {
        return containerAuthorization;
    }

    /** New temporary credentials ({@code ASIAMOCK1}, {@code ASIAMOCK2}...), accepted by the Bedrock routes. */
    IssuedAwsKey issueAwsCredentials(Instant now) {
        int n = awsCredentialsIssued.incrementAndGet();
        IssuedAwsKey key = new IssuedAwsKey("ASIAMOCK" + n, "mock/secret/" + n, "mock-session-" + n,
                now.plus(awsCredentialLifetime));
        acceptAwsKey(key.accessKeyId(), key.secretAccessKey(), key.sessionToken());
        return key;
    }

    /** Temporary AWS credentials the container credentials endpoint and STS issued so far. */
    public int awsCredentialsIssued() {
        return awsCredentialsIssued.get();
    }

    void assumedRole(AssumeRoleCall call) {
        assumeRoleCalls.add(call);
    }

    /**
     * STS's {@code AssumeRoleWithWebIdentity} accepts this token (what a pod's projected token file holds). Until one
     * is registered it accepts any non-empty token, as the Bedrock routes accept unsigned requests until a key is.
     */
    public void acceptWebIdentityToken(String token) {
        webIdentityTokens.add(token);
    }

    boolean acceptsWebIdentityToken(String token) {
        return token != null && !token.isEmpty() && (webIdentityTokens.isEmpty() || webIdentityTokens.contains(token));
    }

    void assumedRoleWithWebIdentity(WebIdentityCall call) {
        webIdentityCalls.add(call);
    }

    /** The {@code AssumeRoleWithWebIdentity} calls STS answered with credentials, oldest first. */
    public List<WebIdentityCall> webIdentityCalls() {
        return List.copyOf(webIdentityCalls);
    }

    void assumeRoleRefused() {
        assumeRoleRefusals.incrementAndGet();
    }

    /** The {@code AssumeRole} calls STS answered with credentials, oldest first. */
    public List<AssumeRoleCall> assumeRoleCalls() {
        return List.copyOf(assumeRoleCalls);
    }

    /**
     * {@code AssumeRole} and {@code AssumeRoleWithWebIdentity} calls STS refused (a wrong signature, an unknown key
     * or token, a malformed form).
     */
    public int assumeRoleRefusals() {
        return assumeRoleRefusals.get();
    }

    /** Whether Bedrock requests must be SigV4-signed (an AWS key was registered). */
    boolean requiresSigV4() {
        return !awsKeys.isEmpty();
    }

    AwsKey awsKey(String accessKeyId) {
        return awsKeys.get(accessKeyId);
    }

    void signatureVerified(boolean ok) {
        (ok ? signaturesVerified : signaturesRejected).incrementAndGet();
    }

    /** Bedrock requests whose signature matched the mock's own computation. */
    public int signaturesVerified() {
        return signaturesVerified.get();
    }

    /** Bedrock requests refused for a missing or wrong signature. */
    public int signaturesRejected() {
        return signaturesRejected.get();
    }

    /**
     * Every Bedrock stream from now on ends with an exception frame of {@code exceptionType} after
     * {@code afterEvents} events (0: before any), as {@code x-mock-bedrock-exception} does for one request; for a
     * mock behind claude-lb, which sends Bedrock none of its client's headers. Null turns it off.
     */
    public void failBedrockStreams(String exceptionType, int afterEvents) {
        bedrockExceptionAfter = afterEvents;
        bedrockException = exceptionType;
    }

    String bedrockException() {
        return bedrockException;
    }

    int bedrockExceptionAfter() {
        return bedrockExceptionAfter;
    }

    /**
     * The token endpoint ({@code POST /token}) accepts JWT assertions from this service account signed with the
     * private key of {@code key}; the Vertex routes then require a token it issued.
     */
    public void acceptServiceAccount(String clientEmail, PublicKey key) {
        serviceAccounts.put(clientEmail, key);
    }

    PublicKey serviceAccount(String clientEmail) {
        return serviceAccounts.get(clientEmail);
    }

    boolean requiresGoogleToken() {
        return !serviceAccounts.isEmpty();
    }

    /** Lifetime of Google tokens issued from now on. */
    public void setGoogleTokenLifetime(Duration lifetime) {
        googleTokenLifetime = lifetime;
    }

    String issueGoogleToken(long nowNanos) {
        String token = "ya29.mock-" + googleTokensIssued.incrementAndGet();
        googleTokens.put(token, nowNanos + googleTokenLifetime.toNanos());
        return token;
    }

    long googleTokenLifetimeSeconds() {
        return googleTokenLifetime.toSeconds();
    }

    /** Google access tokens issued so far. */
    public int googleTokensIssued() {
        return googleTokensIssued.get();
    }

    /** Every issued Google token stops working (the next Vertex request with one gets 401). */
    public void revokeGoogleTokens() {
        googleTokens.clear();
    }

    boolean acceptsGoogleToken(String authorization, long nowNanos) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        Long expiry = googleTokens.get(authorization.substring(7).strip());
        return expiry != null && nowNanos - expiry < 0;
    }

    /** The serving endpoints {@code GET .../api/2.0/serving-endpoints} lists, replacing the previous list. */
    public void setServingEndpoints(List<String> names) {
        servingEndpoints.clear();
        servingEndpoints.addAll(names);
    }

    List<String> servingEndpoints() {
        return List.copyOf(servingEndpoints);
    }

    void listed(String authorization) {
        lastListingAuthorization = authorization;
        endpointListings.incrementAndGet();
    }

    /** The {@code Authorization} of the last listing (which credential the proxy listed with), or null. */
    public String lastListingAuthorization() {
        return lastListingAuthorization;
    }

    /** Serving-endpoint listings answered so far. */
    public int endpointListings() {
        return endpointListings.get();
    }
}
