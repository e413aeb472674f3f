package io.claudelb.server.mock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Google's OAuth token endpoint as a service account uses it ({@code POST /token}, the {@code token_uri} a test's key
 * file names): {@code grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer} with an {@code assertion}, a JWT signed
 * RS256 with the account's private key. The mock checks the signature against the registered public key of its
 * issuer ({@link MockCloud#acceptServiceAccount}), the audience (this endpoint), the cloud-platform scope and the
 * expiry, and issues {@code ya29.mock-<n>} tokens ({@code {"access_token","expires_in","token_type":"Bearer"}}).
 * Refusals use OAuth's error shape ({@code invalid_grant}).
 */
final class GoogleTokenRoute implements MockRoute {
    static final String PATH = "/token";
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    @Override
    public boolean matches(HttpMethod method, String path) {
        return HttpMethod.POST.equals(method) && PATH.equals(path);
    }

    @Override
    public void serve(FullHttpRequest request, MockExchange exchange) {
        Map<String, List<String>> form = new QueryStringDecoder(request.content().toString(StandardCharsets.UTF_8),
                StandardCharsets.UTF_8, false).parameters();
        if (!JWT_BEARER.equals(first(form, "grant_type"))) {
            refuse(exchange, "unsupported_grant_type", "mock: expected a JWT bearer grant");
            return;
        }
        String assertion = first(form, "assertion");
        String[] parts = assertion == null ? new String[0] : assertion.split("\\.");
        if (parts.length != 3) {
            refuse(exchange, "invalid_grant", "mock: the assertion is not a JWT");
            return;
        }
        Map<String, Object> claims;
        try {
            claims = claims(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | IllegalArgumentException e) {
            refuse(exchange, "invalid_grant", "mock: unreadable JWT claims");
            return;
        }
        MockCloud cloud = exchange.state().cloud();
        PublicKey key = cloud.serviceAccount(String.valueOf(claims.get("iss")));
        if (key == null || !verifies(key, parts)) {
            refuse(exchange, "invalid_grant", "mock: Invalid JWT Signature.");
            return;
        }
        String aud = String.valueOf(claims.get("aud"));
        if (!aud.endsWith(PATH) || !String.valueOf(claims.get("scope")).contains("cloud-platform")) {
            refuse(exchange, "invalid_scope", "mock: wrong audience or scope");
            return;
        }
        Object exp = claims.get("exp");
        if (!(exp instanceof Long expiry) || expiry * 1000 < System.currentTimeMillis()) {
            refuse(exchange, "invalid_grant", "mock: Invalid JWT: Token must be a short-lived token");
            return;
        }
        String token = cloud.issueGoogleToken(exchange.state().tokens().auth().clock().nanoTime());
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("access_token", token);
            g.writeNumberField("expires_in", cloud.googleTokenLifetimeSeconds());
            g.writeStringField("token_type", "Bearer");
            g.writeEndObject();
        });
        exchange.respond(200, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }

    private static boolean verifies(PublicKey key, String[] parts) {
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(key);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rs256.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static Map<String, Object> claims(byte[] json) throws IOException {
        Map<String, Object> claims = new HashMap<>();
        try (JsonParser parser = JsonBytes.FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not an object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                claims.put(name, value == JsonToken.VALUE_NUMBER_INT ? (Object) parser.getLongValue()
                        : value == JsonToken.VALUE_STRING ? parser.getText() : null);
                parser.skipChildren();
            }
        }
        return claims;
    }

    private static void refuse(MockExchange exchange, String code, String description) {
        byte[] body = JsonBytes.write(g -> {
            g.writeStartObject();
            g.writeStringField("error", code);
            g.writeStringField("error_description", description);
            g.writeEndObject();
        });
        exchange.respond(400, MockResponseHeaders.APPLICATION_JSON, Unpooled.wrappedBuffer(body), null);
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
