package io.claudelb.server.mock;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The OAuth token endpoints under any prefix, form-encoded as RFC 6749 says:
 * <ul>
 *   <li>{@code POST .../oidc/v1/token} with {@code grant_type=client_credentials} (Databricks machine-to-machine;
 *       client id and secret as HTTP Basic or in the form);</li>
 *   <li>{@code POST .../oauth/token} with {@code grant_type=refresh_token&refresh_token=...}: the refresh token must
 *       be the current one, and the answer carries its rotation.</li>
 * </ul>
 * Success: {@code {"access_token","token_type":"Bearer","expires_in"[,"refresh_token"][,"scope"]}}; refusals use
 * OAuth's error shape ({@code {"error","error_description"}}), 401 for a bad or refused client, 400 otherwise.
 */
final class TokenRoute implements MockRoute {

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && (path.endsWith("/oidc/v1/token") || path.endsWith("/oauth/token"));
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        MockTokens tokens = exchange.state().tokens();
        Map<String, List<String>> form = new QueryStringDecoder(
                request.content().toString(StandardCharsets.UTF_8), StandardCharsets.UTF_8, false).parameters();
        String[] client = client(request.headers().get(HttpHeaderNames.AUTHORIZATION), form);
        String grant = first(form, "grant_type");
        exchange.later(tokens.auth().tokenDelay(), () -> answer(exchange, tokens, grant, client, form));
    }

    private static void answer(MockExchange exchange, MockTokens tokens, String grant, String[] client,
                               Map<String, List<String>> form) {
        MockAuth auth = tokens.auth();
        if (tokens.rejecting()) {
            error(exchange, 401, "invalid_client", "mock: token requests are being refused");
            return;
        }
        if (auth.clientId() != null && !(auth.clientId().equals(client[0])
                && (auth.clientSecret() == null || auth.clientSecret().equals(client[1])))) {
            error(exchange, 401, "invalid_client", "mock: unknown client or wrong secret");
            return;
        }
        String rotated = null;
        if ("refresh_token".equals(grant)) {
            rotated = tokens.rotate(first(form, "refresh_token"));
            if (rotated == null) {
                error(exchange, 400, "invalid_grant", "mock: refresh token is not the current one");
                return;
            }
        } else if (!"client_credentials".equals(grant)) {
            error(exchange, 400, "unsupported_grant_type", "mock: grant_type must be client_credentials or "
                    + "refresh_token");
            return;
        }
        String accessToken = tokens.issue();
        String refresh = rotated;
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("access_token", accessToken);
            g.writeStringField("token_type", "Bearer");
            g.writeNumberField("expires_in", tokens.lifetimeSeconds());
            if (refresh != null) {
                g.writeStringField("refresh_token", refresh);
            } else {
                g.writeStringField("scope", "all-apis");
            }
            g.writeEndObject();
        });
        exchange.respond(200, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }

    private static void error(MockExchange exchange, int status, String code, String description) {
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", code);
            g.writeStringField("error_description", description);
            g.writeEndObject();
        });
        exchange.respond(status, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }

    /** {id, secret} from HTTP Basic, else from the form's client_id / client_secret. */
    private static String[] client(String authorization, Map<String, List<String>> form) {
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = pair.indexOf(':');
                if (colon >= 0) {
                    return new String[] {pair.substring(0, colon), pair.substring(colon + 1)};
                }
            } catch (IllegalArgumentException e) {
                return new String[] {null, null};
            }
        }
        return new String[] {first(form, "client_id"), first(form, "client_secret")};
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
