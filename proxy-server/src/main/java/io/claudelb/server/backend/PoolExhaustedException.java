package io.claudelb.server.backend;

/** No backend connection could be had: the pool is at its limit and the wait queue is full or timed out. */
public final class PoolExhaustedException extends Exception {
    private static final long serialVersionUID = 1L;

    public PoolExhaustedException(String message) {
        super(message, null, false, false);
    }
}
