package io.claudelb.server.exchange;

import io.claudelb.server.backend.BackendReceiver;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * What one attempt of an {@link Exchange} attaches to its backend connection's {@link BackendReceiver}: it hands
 * every response object to the exchange, which owns them from then on, tagged with the attempt so that a late event
 * of an abandoned attempt is recognised and dropped.
 */
final class ResponseRelay implements BackendReceiver.Listener {
    private final Exchange exchange;
    private final int attempt;

    ResponseRelay(Exchange exchange, int attempt) {
        this.exchange = exchange;
        this.attempt = attempt;
    }

    @Override
    public void onRead(Object msg) {
        if (msg instanceof HttpObject object) {
            exchange.onBackendRead(attempt, object);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void onReadComplete() {
        exchange.onBackendReadComplete(attempt);
    }

    @Override
    public void onClosed(Throwable cause) {
        exchange.onBackendClosed(attempt, cause);
    }
}
