package io.claudelb.codec.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * Which request and response headers cross the proxy: hop-by-hop headers (RFC 9110 section 7.6.1) belong to one
 * connection and are dropped in both directions, and the client's own credential is dropped before the upstream's
 * is added. Also reads the credential a client presented, for client-key authentication.
 *
 * <p>Headers named by {@code Connection} are hop-by-hop too, so stripping may remove a framing header such as
 * {@code Content-Length} if a peer lists it there: set framing headers after stripping.
 */
public final class HeaderRules {
    public static final AsciiString X_API_KEY = AsciiString.cached("x-api-key");
    public static final AsciiString PROXY_CONNECTION = AsciiString.cached("proxy-connection");
    /** Netty deprecates its constant (HTTP/2 forbids the header); a relay still has to strip it. */
    public static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
    private static final String BEARER = "bearer";

    /** The fixed hop-by-hop set, lower case. */
    private static final List<AsciiString> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION,
            KEEP_ALIVE,
            PROXY_CONNECTION,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRAILER,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE);

    private HeaderRules() {
    }

    /** Whether {@code name} is in the fixed hop-by-hop set (case-insensitive); Connection-named ones aside. */
    public static boolean isHopByHop(CharSequence name) {
        for (AsciiString hop : HOP_BY_HOP) {
            if (hop.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** Removes every header named in {@code Connection}, then the fixed hop-by-hop set. */
    public static void stripHopByHop(HttpHeaders headers) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            int start = 0;
            int length = connection.length();
            while (start <= length) {
                int comma = connection.indexOf(',', start);
                int end = comma < 0 ? length : comma;
                String token = connection.substring(start, end).trim();
                if (!token.isEmpty()) {
                    headers.remove(token);
                }
                start = end + 1;
            }
        }
        for (AsciiString hop : HOP_BY_HOP) {
            headers.remove(hop);
        }
    }

    /** Removes the client's credential headers ({@code x-api-key}, {@code authorization}). */
    public static void stripClientCredentials(HttpHeaders headers) {
        headers.remove(X_API_KEY);
        headers.remove(HttpHeaderNames.AUTHORIZATION);
    }

    /**
     * The credential a client presented: a non-empty {@code x-api-key}; else {@code Authorization} without a
     * case-insensitive {@code Bearer } prefix (surrounding spaces trimmed); else null. Never log the result.
     */
    public static String clientCredential(HttpHeaders headers) {
        String apiKey = headers.get(X_API_KEY);
        if (apiKey != null && !apiKey.isEmpty()) {
            return apiKey;
        }
        String authorization = headers.get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null) {
            return null;
        }
        String value = authorization.strip();
        if (value.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && (value.length() == BEARER.length() || value.charAt(BEARER.length()) == ' ')) {
            // "Bearer" alone (its trailing space trimmed away) is an empty token, not a credential.
            value = value.substring(BEARER.length()).strip();
        }
        return value.isEmpty() ? null : value;
    }

    /**
     * Removes every header except those named in {@code names} (case-insensitive) or starting with one of
     * {@code prefixes}: the allow-list of an upstream whose other response headers are about the operator's account
     * (the OpenAI and Bedrock translations).
     */
    public static void retainOnly(HttpHeaders headers, java.util.List<AsciiString> names,
                                  java.util.List<AsciiString> prefixes) {
        java.util.List<String> drop = new java.util.ArrayList<>();
        for (java.util.Iterator<java.util.Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
                it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (!listed(name, names, prefixes)) {
                drop.add(name.toString());
            }
        }
        drop.forEach(headers::remove);
    }

    private static boolean listed(CharSequence name, java.util.List<AsciiString> names,
                                  java.util.List<AsciiString> prefixes) {
        for (AsciiString prefix : prefixes) {
            if (AsciiString.regionMatches(name, true, 0, prefix, 0, prefix.length())) {
                return true;
            }
        }
        for (AsciiString keep : names) {
            if (keep.contentEqualsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
