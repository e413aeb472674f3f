package io.claudelb.server.cloud;

import io.claudelb.codec.cloud.CloudRequestBody;
import io.claudelb.codec.json.BodyRewriter;
import io.claudelb.codec.json.InvalidRequestException;
import io.claudelb.codec.json.RequestInfo;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.UpstreamKind;
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

/**
 * One attempt's request to a {@code vertex} upstream:
 * <ol>
 *   <li>{@link #path}: {@code {base}/v1/projects/{p}/locations/{r}/publishers/anthropic/models/{model}:rawPredict}
 *       or {@code :streamRawPredict}; count_tokens: {@code .../models/count-tokens:rawPredict};</li>
 *   <li>{@link #body}: the client's body without {@code model}, with {@code anthropic_version: vertex-2023-10-16};
 *       {@code stream} stays, Vertex reads it too. {@link #countTokensBody}: the body with the target model (that
 *       endpoint takes the model in the body);</li>
 *   <li>{@link #head}: Host, content type, length, {@code Authorization: Bearer} with the Google access token (from
 *       the upstream's {@code TokenSource}) or the static {@code bearer} token, and of the client's headers only
 *       {@code anthropic-beta} (after the upstream's {@code betas} filter), {@code accept} and {@code user-agent}.</li>
 * </ol>
 */
public final class VertexRequests {
    private static final AsciiString ANTHROPIC_BETA = AsciiString.cached("anthropic-beta");
    private static final List<AsciiString> CLIENT_HEADERS = List.of(HttpHeaderNames.ACCEPT,
            HttpHeaderNames.USER_AGENT);

    private VertexRequests() {
    }

    public static String path(UpstreamConfig upstream, String model, boolean stream) {
        return upstream.messagesPath(model, stream);
    }

    public static String countTokensPath(UpstreamConfig upstream) {
        return upstream.countTokensPath();
    }

    /** Vertex's Messages body for the client's (not released); the caller owns the result. */
    public static ByteBuf body(ByteBufAllocator alloc, ByteBuf clientBody) throws InvalidRequestException {
        return CloudRequestBody.vertex(alloc, clientBody);
    }

    /** The count-tokens body: the client's with {@code model} set to {@code vertexModel} (null keeps it). */
    public static ByteBuf countTokensBody(ByteBufAllocator alloc, ByteBuf clientBody, RequestInfo info,
                                          String vertexModel) {
        return BodyRewriter.rewrite(alloc, clientBody, info, vertexModel, info.hasProviderMember());
    }

    /**
     * @param client      the client's request head
     * @param accessToken the Google access token, or null for a {@code bearer} / {@code none} upstream
     */
    public static HttpRequest head(HttpRequest client, UpstreamConfig upstream, String path, String accessToken,
                                   int contentLength) {
        if (upstream.kind() != UpstreamKind.VERTEX) {
            throw new IllegalArgumentException("upstream '" + upstream.name() + "' is not a vertex upstream");
        }
        HttpHeaders in = client.headers();
        HttpHeaders out = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (AsciiString name : CLIENT_HEADERS) {
            String value = in.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        List<String> betas = in.getAll(ANTHROPIC_BETA);
        if (!betas.isEmpty()) {
            String joined = String.join(",", betas);
            String filtered = upstream.betas().passesAll() ? joined : upstream.betas().apply(joined);
            if (filtered != null && !filtered.isEmpty()) {
                out.set(ANTHROPIC_BETA, filtered);
            }
        }
        out.set(HttpHeaderNames.HOST, upstream.hostHeader());
        out.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        out.setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        out.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        String token = accessToken != null ? accessToken
                : upstream.auth().type() == io.claudelb.core.config.AuthType.BEARER ? upstream.auth().token().reveal()
                : null;
        if (token != null) {
            out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + token);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, out);
    }
}
