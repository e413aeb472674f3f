package io.claudelb.server.coalesce;

import io.claudelb.codec.json.BodyDigest;
import io.claudelb.server.routing.RoutedRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/** Builds the {@link CoalescingKey} of a routed request (on its event loop, over bytes already in memory). */
final class CoalescingKeys {
    private static final AsciiString VERSION = AsciiString.cached("anthropic-version");
    private static final AsciiString BETA = AsciiString.cached("anthropic-beta");
    private static final AsciiString FORCED = AsciiString.cached("x-claude-lb-upstream");

    private CoalescingKeys() {
    }

    /** @param clientName the client key's name, or null */
    static CoalescingKey of(FullHttpRequest request, RoutedRequest routed, String clientName) {
        HttpHeaders h = request.headers();
        String principal = (clientName == null ? "" : clientName) + "|" + routed.caller().fingerprint();
        BodyDigest digest = BodyDigest.of(request.content(), routed.info());
        return new CoalescingKey(principal, request.uri(), routed.info().model(), orEmpty(h.get(FORCED)),
                orEmpty(h.get(VERSION)), String.join(",", h.getAll(BETA)), digest.high(), digest.low());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
