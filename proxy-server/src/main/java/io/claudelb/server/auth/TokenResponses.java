package io.claudelb.server.auth;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a token endpoint's JSON answer (RFC 6749 sections 5.1 and 5.2) with jackson-core's streaming parser. A
 * success must carry a string {@code access_token}; {@code token_type}, when present, must be {@code Bearer};
 * {@code expires_in} may be a number or a numeric string. An error answer yields its OAuth {@code error} code only:
 * descriptions may echo submitted values and are not repeated.
 */
final class TokenResponses {
    private static final JsonFactory FACTORY = new JsonFactory();

    private TokenResponses() {
    }

    /**
     * @param status the HTTP status of the answer
     * @param body   its body as text
     * @throws TokenException when the answer is an error or lacks a usable token
     */
    static TokenResponse parse(String upstream, int status, String body) throws TokenException {
        String accessToken = null;
        String refreshToken = null;
        String tokenType = null;
        String error = null;
        long expiresIn = 0;
        try (JsonParser p = FACTORY.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TokenException(prefix(upstream, status) + "the answer is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "access_token" -> accessToken = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "refresh_token" -> refreshToken = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "token_type" -> tokenType = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "error" -> error = value == JsonToken.VALUE_STRING ? p.getText() : "unknown";
                    case "expires_in" -> expiresIn = lifetime(p, value);
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new TokenException(prefix(upstream, status) + "the answer is not valid JSON");
        }
        if (status < 200 || status >= 300 || error != null) {
            throw new TokenException(prefix(upstream, status) + "the token endpoint refused"
                    + (error == null ? "" : " (error " + safe(error) + ")"));
        }
        if (accessToken == null || accessToken.isEmpty()) {
            throw new TokenException(prefix(upstream, status) + "the answer has no access_token");
        }
        if (tokenType != null && !tokenType.toLowerCase(Locale.ROOT).equals("bearer")) {
            throw new TokenException(prefix(upstream, status) + "the token type is " + safe(tokenType)
                    + ", only Bearer tokens are supported");
        }
        return new TokenResponse(accessToken, expiresIn, refreshToken);
    }

    private static long lifetime(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return (long) p.getDoubleValue();
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getText().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        p.skipChildren();
        return 0;
    }

    private static String prefix(String upstream, int status) {
        return "token request for upstream '" + upstream + "' answered HTTP " + status + ": ";
    }

    /** An error code is a short ASCII word by the RFC; anything else is cut so a log line stays one short line. */
    private static String safe(String code) {
        String ascii = code.replaceAll("[^A-Za-z0-9_.-]", "?");
        return ascii.length() <= 64 ? ascii : ascii.substring(0, 64);
    }
}
