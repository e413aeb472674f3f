package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.CloudRequestBody;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.auth.AwsRequestSigner;
import io.claudelb.server.auth.SignedHeaders;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * One attempt's request to a {@code bedrock} upstream, in the order it must be built (the signature covers the body):
 * <ol>
 *   <li>{@link #path}: {@code {base}/model/{modelId}/invoke} or {@code .../invoke-with-response-stream};</li>
 *   <li>{@link #body}: the client's body without {@code model} and {@code stream}, with
 *       {@code anthropic_version: bedrock-2023-05-31} and the {@code anthropic-beta} flags (after the upstream's
 *       {@code betas} filter) as {@code anthropic_beta};</li>
 *   <li>{@link #head}: Host, {@code content-type: application/json}, {@code accept} (the event stream or JSON),
 *       the length, then the credential: a SigV4 signature over all of it ({@code aws}, {@code aws_default}), or
 *       {@code Authorization: Bearer} with a Bedrock API key ({@code bearer}), or nothing ({@code none}).</li>
 * </ol>
 * None of the client's headers pass: Bedrock takes its betas in the body, and the caller's session ids, SDK
 * fingerprints and credentials mean nothing to AWS. The query string is dropped.
 */
public final class BedrockRequests {
    /** What Bedrock streams: AWS event-stream frames. */
    public static final AsciiString EVENT_STREAM = AsciiString.cached("application/vnd.amazon.eventstream");
    private static final AsciiString ANTHROPIC_BETA = AsciiString.cached("anthropic-beta");

    private BedrockRequests() {
    }

    /** The request path for {@code model} (the target's, or the client's when the target keeps it). */
    public static String path(UpstreamConfig upstream, String model, boolean stream) {
        return upstream.messagesPath(model, stream);
    }

    /**
     * Bedrock's body for the client's (not released); the caller owns the result.
     *
     * @param clientHeaders the client's request headers, for {@code anthropic-beta}
     * @throws InvalidRequestException when the client's body is not a JSON object
     */
    public static ByteBuf body(ByteBufAllocator alloc, ByteBuf clientBody, HttpHeaders clientHeaders,
                               UpstreamConfig upstream) throws InvalidRequestException {
        List<String> values = clientHeaders.getAll(ANTHROPIC_BETA);
        if (!upstream.betas().passesAll() && !values.isEmpty()) {
            String filtered = upstream.betas().apply(String.join(",", values));
            values = filtered == null ? List.of() : List.of(filtered);
        }
        return CloudRequestBody.bedrock(alloc, clientBody, CloudRequestBody.betaFlags(values));
    }

    /**
     * The complete request head for {@code body} (already built, read but not released).
     *
     * @param credentials the ready AWS credentials for a signed upstream, else null
     * @param signer      the upstream's signer for a signed upstream, else null
     */
    public static HttpRequest head(UpstreamConfig upstream, String path, boolean stream, ByteBuf body,
                                   AwsCredentialsIdentity credentials, AwsRequestSigner signer) {
        if (upstream.kind() != UpstreamKind.BEDROCK) {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' is not a bedrock upstream");
        }
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        headers.set(HttpHeaderNames.HOST, upstream.hostHeader());
        headers.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        headers.set(HttpHeaderNames.ACCEPT, stream ? EVENT_STREAM : HttpHeaderValues.APPLICATION_JSON);
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        headers.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, headers);
        AuthType type = upstream.auth().type();
        if (type.aws()) {
            SignedHeaders signed = Objects.requireNonNull(signer, "signer").sign(
                    Objects.requireNonNull(credentials, "credentials"), head, upstream.https(), body);
            signed.addTo(headers);
        } else if (type == AuthType.BEARER) {
            headers.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + upstream.auth().token().reveal());
        }
        return head;
    }
}
