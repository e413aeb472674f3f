package io.claudelb.server.mock;

import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The Bedrock mock's check of a request's SigV4 signature, the way AWS checks it: from the {@code Authorization}
 * header's credential scope and signed-header list, it rebuilds the request as received (method, raw path, query,
 * the signed headers' values, the body) and signs it again with the SDK's own {@link AwsV4HttpSigner}, the mock's
 * copy of the secret key and the request's own {@code X-Amz-Date}; the signatures must match. So a request whose
 * canonical form differs from what was signed (another path encoding, a changed header or body) fails, as it would
 * at AWS.
 */
final class SigV4Verifier {
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?"
                    + "Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    /** The access key id a SigV4 {@code Authorization} header names, or null when there is none. */
    static String accessKeyId(FullHttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        Matcher m = authorization == null ? null : AUTHORIZATION.matcher(authorization);
        return m != null && m.matches() ? m.group(1) : null;
    }

    /** Why a request was refused (the mock's 403 message), or null when its signature is right. */
    static String check(FullHttpRequest request, MockCloud cloud, String expectedService) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return "MissingAuthenticationTokenException: no Authorization header";
        }
        Matcher m = AUTHORIZATION.matcher(authorization);
        if (!m.matches()) {
            return "IncompleteSignatureException: not a SigV4 Authorization header";
        }
        MockCloud.AwsKey key = cloud.awsKey(m.group(1));
        if (key == null) {
            return "UnrecognizedClientException: unknown access key";
        }
        if (!expectedService.equals(m.group(4))) {
            return "InvalidSignatureException: credential scope names service " + m.group(4);
        }
        String amzDate = request.headers().get("x-amz-date");
        Instant at;
        try {
            at = Instant.from(AMZ_DATE.parse(amzDate == null ? "" : amzDate));
        } catch (DateTimeParseException e) {
            return "IncompleteSignatureException: no valid X-Amz-Date";
        }
        String token = request.headers().get("x-amz-security-token");
        if (key.sessionToken() != null && !key.sessionToken().equals(token)) {
            return "UnrecognizedClientException: the security token is missing or wrong";
        }
        AwsCredentialsIdentity credentials = key.sessionToken() == null
                ? AwsBasicCredentials.create(m.group(1), key.secretAccessKey())
                : AwsSessionCredentials.create(m.group(1), key.secretAccessKey(), key.sessionToken());
        List<String> signedHeaders = Arrays.asList(m.group(5).split(";"));
        String recomputed = SIGNER.sign(r -> r
                        .identity(credentials)
                        .request(asReceived(request, signedHeaders))
                        .payload(() -> new ByteBufInputStream(request.content().duplicate(), false))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, m.group(4))
                        .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC)))
                .request().firstMatchingHeader("Authorization").orElse("");
        return recomputed.equals(authorization) ? null
                : "InvalidSignatureException: The request signature we calculated does not match the signature you "
                + "provided.";
    }

    /** The request as the mock received it, with only the headers the client says it signed. */
    private static SdkHttpRequest asReceived(FullHttpRequest request, List<String> signedHeaders) {
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        int colon = host.lastIndexOf(':');
        String uri = request.uri();
        int q = uri.indexOf('?');
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method().name()))
                .protocol("http")
                .host(colon > 0 ? host.substring(0, colon) : host)
                .port(colon > 0 ? Integer.parseInt(host.substring(colon + 1)) : 80)
                .encodedPath(q < 0 ? uri : uri.substring(0, q));
        if (q >= 0) {
            new QueryStringDecoder(uri).parameters().forEach(b::putRawQueryParameter);
        }
        for (String name : signedHeaders) {
            for (String value : request.headers().getAll(name)) {
                b.appendHeader(name, value);
            }
        }
        return b.build();
    }
}
