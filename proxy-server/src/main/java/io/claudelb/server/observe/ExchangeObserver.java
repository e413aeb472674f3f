package io.claudelb.server.observe;

/**
 * Hears about every finished request, once, when its answer is complete or the client has gone: the access log,
 * metrics, usage accounting and coalescing statistics are observers. Called on the request's event loop, so an
 * implementation must never block: one that needs I/O (a database write, a log file) hands the event to its own
 * bounded queue and thread. An observer that throws is logged and skipped; the others still hear the event.
 */
@FunctionalInterface
public interface ExchangeObserver {
    void exchangeEnded(ExchangeEvent event);
}
