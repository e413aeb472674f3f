package io.claudelb.server.exchange;

/** Told by an {@link Exchange} when it is over, so the client connection can take its next request. */
@FunctionalInterface
public interface ExchangeListener {
    /** @param keepConnection false when the client connection must be closed (a response cut short) */
    void exchangeDone(Exchange exchange, boolean keepConnection);
}
