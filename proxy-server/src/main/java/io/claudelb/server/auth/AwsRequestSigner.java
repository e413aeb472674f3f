package io.claudelb.server.auth;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Signs one upstream request with AWS Signature Version 4 through the SDK's own {@link AwsV4HttpSigner} (never a
 * hand-written canonical request): method, the path as sent (percent-encoded; the signer encodes it once more, as
 * every AWS service but S3 expects), query, every header of the request head (the SDK leaves out the few it never
 * signs, such as {@code user-agent}) and the SHA-256 of the body. Runs on the event loop: no I/O, no blocking, a hash
 * over the body and a few HMACs. Stateless and thread-safe.
 *
 * <p>The head must be complete (Host, content type, accept, length) before signing: a header added afterwards is
 * simply unsigned, one changed afterwards breaks the signature.
 */
public final class AwsRequestSigner {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final String service;
    private final Clock clock;

    /**
     * @param region  the signing region (the upstream's)
     * @param service the signing name ({@code bedrock} for the Bedrock runtime)
     * @param clock   the signing time (tests pin it)
     */
    public AwsRequestSigner(String region, String service, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.service = Objects.requireNonNull(service, "service");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Loads the JCE once, on the calling thread: the JVM's first {@link Mac} reads the crypto policy directory
     * ({@code javax.crypto.JceSecurity}'s class initialiser lists and opens files), which must not happen on an event
     * loop when the first request is signed there. Called where the signers are made, at start, off the loops.
     */
    public static void loadCrypto() {
        try {
            Mac.getInstance("HmacSHA256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no HmacSHA256, which SigV4 needs", e);
        }
    }

    /**
     * The headers that sign {@code head} (its method, URI, headers) and {@code body} (its readable bytes, which are
     * read but neither moved nor released) with {@code credentials}.
     *
     * @param https whether the request goes over TLS (part of the SDK's request model; not itself signed)
     */
    public SignedHeaders sign(AwsCredentialsIdentity credentials, HttpRequest head, boolean https, ByteBuf body) {
        SdkHttpRequest request = toSdk(head, https);
        SignedRequest signed = SIGNER.sign(r -> r
                .identity(credentials)
                .request(request)
                .payload(() -> new ByteBufInputStream(body.duplicate(), false))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
        List<Map.Entry<String, String>> added = new ArrayList<>();
        signed.request().forEachHeader((name, values) -> {
            if (!values.isEmpty() && !values.equals(request.headers().get(name))) {
                added.add(new AbstractMap.SimpleImmutableEntry<>(name, values.get(0)));
            }
        });
        return new SignedHeaders(added);
    }

    /** The SDK's model of a Netty request head: host and port from its Host header, path and query from its URI. */
    static SdkHttpRequest toSdk(HttpRequest head, boolean https) {
        String hostHeader = head.headers().get(HttpHeaderNames.HOST);
        if (hostHeader == null) {
            throw new IllegalArgumentException("the request to sign has no Host header");
        }
        int colon = hostHeader.lastIndexOf(':');
        boolean hasPort = colon > 0 && hostHeader.indexOf(']') < colon;
        String host = hasPort ? hostHeader.substring(0, colon) : hostHeader;
        int port = hasPort ? Integer.parseInt(hostHeader.substring(colon + 1)) : https ? 443 : 80;
        String uri = head.uri();
        int q = uri.indexOf('?');
        SdkHttpRequest.Builder b = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(head.method().name()))
                .protocol(https ? "https" : "http")
                .host(host)
                .port(port)
                .encodedPath(q < 0 ? uri : uri.substring(0, q));
        if (q >= 0) {
            new QueryStringDecoder(uri).parameters().forEach(b::putRawQueryParameter);
        }
        for (Map.Entry<String, String> h : head.headers()) {
            b.appendHeader(h.getKey(), h.getValue());
        }
        return b.build();
    }
}
