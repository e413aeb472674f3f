package io.claudelb.server.exchange;

import io.claudelb.codec.http.HeaderRules;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.config.AuthType;
import io.claudelb.core.config.UpstreamKind;
import io.claudelb.server.auth.CallerCredential;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Builds the request head sent to an upstream from the client's head. End-to-end headers (anthropic-version,
 * anthropic-beta, user-agent, x-stainless-*, x-claude-code-session-id, ...) pass unchanged; hop-by-hop headers, the
 * client's credential headers, {@code accept-encoding} (the proxy must read streams to peek and count usage, so it
 * asks for identity) and claude-lb's own control headers ({@code x-claude-lb-*}) are dropped; the upstream's Host,
 * credential and the new body length are set. A {@code passthrough} upstream's credential is the caller's own
 * ({@link CallerCredential} says which headers that is), so claude-lb's client key never reaches an upstream.
 *
 * <p>An {@code openai}-kind upstream speaks another protocol, so it gets an allow-list instead: of the client's
 * headers only {@code accept}, {@code user-agent}, and OpenRouter's attribution headers {@code http-referer} and
 * {@code x-title} pass (no {@code anthropic-*}, {@code x-stainless-*} or session ids, which mean nothing there and
 * would tell a third party about the caller); the query string is dropped; {@code content-type} is
 * {@code application/json}; every credential is {@code Authorization: Bearer} ({@code api_key} included, and a
 * {@code passthrough} caller's {@code x-api-key} is sent as a bearer token).
 */
public final class UpstreamRequests {
    private static final AsciiString OWN_HEADER_PREFIX = AsciiString.cached("x-claude-lb-");
    private static final AsciiString X_API_KEY = AsciiString.cached("x-api-key");
    private static final AsciiString ANTHROPIC_BETA = AsciiString.cached("anthropic-beta");
    /** Set anew for the upstream (host, length, encoding, credentials) or meaningless to it (expect). */
    private static final List<AsciiString> REPLACED_OR_PRIVATE = List.of(HttpHeaderNames.HOST,
            HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderNames.EXPECT,
            HttpHeaderNames.AUTHORIZATION, X_API_KEY);
    private static final List<AsciiString> OPENAI_CLIENT_HEADERS = List.of(HttpHeaderNames.ACCEPT,
            HttpHeaderNames.USER_AGENT, AsciiString.cached("http-referer"), AsciiString.cached("x-title"));

    private UpstreamRequests() {
    }

    /**
     * As {@link #head(HttpRequest, UpstreamConfig, String, String, CallerCredential, int)} for a caller that
     * presented no client key: a passthrough upstream receives its {@code x-api-key} / {@code Authorization}.
     */
    public static HttpRequest head(HttpRequest client, UpstreamConfig upstream, String path, String bearerToken,
                                   int contentLength) {
        return head(client, upstream, path, bearerToken, CallerCredential.of(client.headers(), false),
                contentLength);
    }

    /**
     * @param client        the client's request head
     * @param upstream      where it goes
     * @param path          upstream path (no query)
     * @param bearerToken   a current OAuth access token for token-based auth types, else null
     * @param caller        the caller's own credential, sent to {@code passthrough} upstreams only
     * @param contentLength length of the body that follows
     */
    public static HttpRequest head(HttpRequest client, UpstreamConfig upstream, String path, String bearerToken,
                                   CallerCredential caller, int contentLength) {
        if (upstream.kind() == UpstreamKind.OPENAI) {
            return openAiHead(client, upstream, path, bearerToken, caller, contentLength);
        }
        HttpHeaders in = client.headers();
        HttpHeaders out = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        // Copy everything, then drop what must not pass: a few hash lookups instead of comparisons per header.
        out.set(in);
        // Removes Connection, the headers it names, and the fixed hop-by-hop set.
        HeaderRules.stripHopByHop(out);
        for (AsciiString name : REPLACED_OR_PRIVATE) {
            out.remove(name);
        }
        removeOwnHeaders(in, out);
        if (!upstream.betas().passesAll()) {
            String filtered = upstream.betas().apply(String.join(",", out.getAll(ANTHROPIC_BETA)));
            out.remove(ANTHROPIC_BETA);
            if (filtered != null) {
                out.set(ANTHROPIC_BETA, filtered);
            }
        }
        out.set(HttpHeaderNames.HOST, upstream.hostHeader());
        out.setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        if (!out.contains(HttpHeaderNames.CONTENT_TYPE)) {
            out.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        }
        out.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        addCredential(out, upstream, bearerToken, caller);
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path + query(client.uri()), out);
    }

    private static HttpRequest openAiHead(HttpRequest client, UpstreamConfig upstream, String path,
                                          String bearerToken, CallerCredential caller, int contentLength) {
        HttpHeaders in = client.headers();
        HttpHeaders out = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        for (AsciiString name : OPENAI_CLIENT_HEADERS) {
            String value = in.get(name);
            if (value != null) {
                out.set(name, value);
            }
        }
        out.set(HttpHeaderNames.HOST, upstream.hostHeader());
        out.setInt(HttpHeaderNames.CONTENT_LENGTH, contentLength);
        out.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        out.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
        if (upstream.auth().type() == AuthType.PASSTHROUGH) {
            caller.addAsBearerTo(out);
        } else if (upstream.auth().type() == AuthType.API_KEY) {
            out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + upstream.auth().token().reveal());
        } else {
            addCredential(out, upstream, bearerToken, caller);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path, out);
    }

    private static void addCredential(HttpHeaders out, UpstreamConfig upstream, String bearerToken,
                                      CallerCredential caller) {
        switch (upstream.auth().type()) {
            case API_KEY -> out.set(X_API_KEY, upstream.auth().token().reveal());
            case BEARER -> out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + upstream.auth().token().reveal());
            case DATABRICKS_OAUTH, OAUTH_REFRESH -> {
                if (bearerToken != null) {
                    out.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + bearerToken);
                }
            }
            case PASSTHROUGH -> caller.addTo(out);
            case NONE -> { }
            default -> throw new IllegalStateException(upstream.auth().type().toString());
        }
    }

    /** Drops claude-lb's own control headers ({@code x-claude-lb-*}); most requests have none. */
    private static void removeOwnHeaders(HttpHeaders in, HttpHeaders out) {
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = in.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (name.length() > OWN_HEADER_PREFIX.length()
                    && AsciiString.regionMatches(name, true, 0, OWN_HEADER_PREFIX, 0, OWN_HEADER_PREFIX.length())) {
                out.remove(name);
            }
        }
    }

    /** The query string of a request URI, with its '?', or "" (kept as the client sent it, e.g. ?beta=true). */
    static String query(String uri) {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q);
    }
}
