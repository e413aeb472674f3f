package io.claudelb.server.inbound;

import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A request the guard accepted for relaying, with who sent it. Ownership of {@code request} travels with this
 * object: whoever consumes it releases the request.
 *
 * @param request      the aggregated client request
 * @param clientName   the matched client key's name, or null when client keys are off
 * @param receivedNanos when the request was complete (clock nanos)
 * @param countTokens  true for {@code /v1/messages/count_tokens}
 */
public record ProxyRequest(FullHttpRequest request, String clientName, long receivedNanos, boolean countTokens) {
}
