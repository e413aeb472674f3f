package io.claudelb.server.auth;

import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.Secret;
import io.claudelb.core.config.UpstreamAuth;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Builds the token request of each OAuth credential type (RFC 6749, form-encoded POST):
 * <ul>
 *   <li>{@code databricks_oauth}: {@code grant_type=client_credentials&scope=all-apis} with the client id and
 *       secret as HTTP Basic credentials, as Databricks' machine-to-machine flow wants;</li>
 *   <li>{@code oauth_refresh}: {@code grant_type=refresh_token&refresh_token=...}, plus {@code client_id} and
 *       {@code client_secret} in the form when they are configured.</li>
 * </ul>
 */
final class TokenRequests {
    private TokenRequests() {
    }

    /** The request for {@code auth}'s grant; the caller owns the returned request (and its body). */
    static FullHttpRequest build(ByteBufAllocator alloc, UpstreamAuth auth, URI tokenUrl, Secret refreshToken) {
        StringBuilder form = new StringBuilder(128);
        String basic = null;
        if (auth.type() == AuthType.DATABRICKS_OAUTH) {
            form.append("grant_type=client_credentials&scope=all-apis");
            basic = "Basic " + Base64.getEncoder().encodeToString(
                    (auth.clientId().reveal() + ":" + auth.clientSecret().reveal()).getBytes(StandardCharsets.UTF_8));
        } else if (auth.type() == AuthType.OAUTH_REFRESH) {
            form.append("grant_type=refresh_token&refresh_token=").append(encode(refreshToken.reveal()));
            if (!auth.clientId().isEmpty()) {
                form.append("&client_id=").append(encode(auth.clientId().reveal()));
            }
            if (!auth.clientSecret().isEmpty()) {
                form.append("&client_secret=").append(encode(auth.clientSecret().reveal()));
            }
        } else {
            throw new IllegalArgumentException("auth type " + auth.type().configName() + " uses no token endpoint");
        }
        byte[] bytes = form.toString().getBytes(StandardCharsets.US_ASCII);
        ByteBuf body = alloc.buffer(bytes.length).writeBytes(bytes);
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, target(tokenUrl),
                body);
        request.headers()
                .set(HttpHeaderNames.HOST, hostHeader(tokenUrl))
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_X_WWW_FORM_URLENCODED)
                .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        if (basic != null) {
            request.headers().set(HttpHeaderNames.AUTHORIZATION, basic);
        }
        return request;
    }

    /** Path and query of the token URL, "/" when it has no path. */
    static String target(URI tokenUrl) {
        String path = tokenUrl.getRawPath() == null || tokenUrl.getRawPath().isEmpty() ? "/" : tokenUrl.getRawPath();
        return tokenUrl.getRawQuery() == null ? path : path + "?" + tokenUrl.getRawQuery();
    }

    private static String hostHeader(URI url) {
        return url.getPort() > 0 ? url.getHost() + ":" + url.getPort() : url.getHost();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
