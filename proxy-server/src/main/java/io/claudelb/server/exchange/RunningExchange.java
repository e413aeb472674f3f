package io.claudelb.server.exchange;

/**
 * What a client connection's {@code exchange} handler holds for the request it is answering: an
 * {@link AttemptLoop} of its own, or its place in a coalesced call. Called on the connection's event loop.
 */
public interface RunningExchange {

    /** The client went away: stop answering it; nothing it caused counts against an upstream. */
    void cancel();

    /** The shutdown grace is over: end the answer now (an error event for a running stream, else a 503). */
    void shutDown();
}
