package io.claudelb.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The caller's own upstream credential, which {@code passthrough} upstreams receive. claude-lb's client key is never
 * part of it: the rule is
 * <ol>
 *   <li>{@code x-claude-lb-upstream-api-key} / {@code x-claude-lb-upstream-authorization}, when the caller sends
 *       them, are the credential (forwarded as {@code x-api-key} / {@code Authorization}). A caller that
 *       authenticates to claude-lb with a client key uses these (Claude Code: {@code ANTHROPIC_CUSTOM_HEADERS}).</li>
 *   <li>Otherwise, a caller that presented no client key (no {@code clients} configured, or an
 *       {@code auth_exempt_paths} path without a valid client key) is taken to have sent its own credential: its
 *       {@code x-api-key} and {@code Authorization} are forwarded unchanged.</li>
 *   <li>A caller authenticated by a client key that sends neither header has no upstream credential.</li>
 * </ol>
 * {@link #toString()} never shows a value.
 */
public final class CallerCredential {
    public static final AsciiString UPSTREAM_API_KEY = AsciiString.cached("x-claude-lb-upstream-api-key");
    public static final AsciiString UPSTREAM_AUTHORIZATION = AsciiString.cached("x-claude-lb-upstream-authorization");
    public static final CallerCredential NONE = new CallerCredential(null, null);
    private static final AsciiString X_API_KEY = AsciiString.cached("x-api-key");

    private final String apiKey;
    private final String authorization;

    private CallerCredential(String apiKey, String authorization) {
        this.apiKey = apiKey;
        this.authorization = authorization;
    }

    /**
     * @param headers       the client's request headers
     * @param authenticated the request presented a valid claude-lb client key (so its own credential headers are
     *                      claude-lb's, not the upstream's)
     */
    public static CallerCredential of(HttpHeaders headers, boolean authenticated) {
        String apiKey = nonEmpty(headers.get(UPSTREAM_API_KEY));
        String authorization = nonEmpty(headers.get(UPSTREAM_AUTHORIZATION));
        if (apiKey == null && authorization == null && !authenticated) {
            apiKey = nonEmpty(headers.get(X_API_KEY));
            authorization = nonEmpty(headers.get(HttpHeaderNames.AUTHORIZATION));
        }
        return apiKey == null && authorization == null ? NONE : new CallerCredential(apiKey, authorization);
    }

    public boolean isEmpty() {
        return apiKey == null && authorization == null;
    }

    /** Sets the credential on an upstream request's headers (as {@code x-api-key} and/or {@code Authorization}). */
    public void addTo(HttpHeaders out) {
        if (apiKey != null) {
            out.set(X_API_KEY, apiKey);
        }
        if (authorization != null) {
            out.set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
    }

    /** Sets the credential as {@code Authorization: Bearer} (OpenAI upstreams know no {@code x-api-key}). */
    public void addAsBearerTo(HttpHeaders out) {
        if (authorization != null) {
            out.set(HttpHeaderNames.AUTHORIZATION, authorization);
        } else if (apiKey != null) {
            out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + apiKey);
        }
    }

    /**
     * A one-way fingerprint of the credential (SHA-256, hex), to tell two callers' credentials apart without
     * keeping either: the coalescing key of a caller without a client key. Empty when there is no credential.
     */
    public String fingerprint() {
        if (isEmpty()) {
            return "";
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(String.valueOf(apiKey).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(String.valueOf(authorization).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String nonEmpty(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    @Override
    public String toString() {
        return isEmpty() ? "CallerCredential[none]" : "CallerCredential[****]";
    }
}
