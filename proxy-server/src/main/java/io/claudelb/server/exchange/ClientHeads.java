package io.claudelb.server.exchange;

import io.claudelb.codec.http.HeaderRules;
import io.claudelb.server.http.LocalResponses;
import io.claudelb.server.translation.ResponseTranslation;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;

/**
 * The response heads claude-lb sends its client for a relayed answer: the upstream's status and end-to-end headers
 * (request-id, anthropic-ratelimit-*, retry-after, ...), hop-by-hop headers dropped, framing set for relaying
 * (content-length kept, else chunked), plus {@code x-claude-lb-upstream} and {@code x-claude-lb-request-id}.
 */
final class ClientHeads {
    private static final AsciiString UPSTREAM_HEADER = AsciiString.cached("x-claude-lb-upstream");
    private static final AsciiString EVENT_STREAM = AsciiString.cached("text/event-stream");

    private ClientHeads() {
    }

    /** The head to relay a body under, chunk by chunk. */
    static HttpResponse relayed(HttpResponse upstream, ResponseTranslation translation, String upstreamName,
                                String requestId) {
        HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders();
        headers.set(upstream.headers());
        translation.head(headers);
        boolean hasLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        HeaderRules.stripHopByHop(headers);
        if (!hasLength) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        headers.set(UPSTREAM_HEADER, upstreamName);
        headers.set(LocalResponses.REQUEST_ID, requestId);
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, upstream.status(), headers);
    }

    /** The same head with a whole body of known length (a buffered error, a translated answer). */
    static FullHttpResponse whole(HttpResponse upstream, ResponseTranslation translation, String upstreamName,
                                  String requestId, ByteBuf body) {
        HttpResponse h = relayed(upstream, translation, upstreamName, requestId);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, h.status(), body, h.headers(),
                DefaultHttpHeadersFactory.trailersFactory().newHeaders());
        res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return res;
    }

    static boolean isEventStream(HttpResponse res) {
        String type = res.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return type != null && AsciiString.regionMatches(type, true, 0, EVENT_STREAM, 0, EVENT_STREAM.length());
    }
}
