package io.claudelb.server.inbound;

import io.claudelb.server.observe.ExchangeRecord;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A request the guard accepted for relaying, with who sent it. Ownership of {@code request} travels with this
 * object: whoever consumes it releases the request.
 *
 * @param request     the aggregated client request
 * @param record      the request's facts so far (id, receipt time, client name); the exchange adds the rest
 * @param countTokens true for {@code /v1/messages/count_tokens}
 */
public record ProxyRequest(FullHttpRequest request, ExchangeRecord record, boolean countTokens) {

    /** The matched client key's name, or null when client keys are off. */
    public String clientName() {
        return record.clientName();
    }

    /** When the request was complete (clock nanos). */
    public long receivedNanos() {
        return record.startNanos();
    }
}
