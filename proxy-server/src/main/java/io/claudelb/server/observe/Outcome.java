package io.claudelb.server.observe;

import java.util.Locale;

/** How a request's answer ended. */
public enum Outcome {
    /** The answer reached the client whole (an error answer is whole too). */
    COMPLETED,
    /** The upstream failed after bytes reached the client: a stream ended with {@code event: error}, a body cut. */
    FAILED_MID_STREAM,
    /** The client went away before its answer was complete. */
    CLIENT_ABORTED,
    /** The client stopped reading for {@code server.write_stall_timeout}: the answer was cut, the connection closed. */
    CLIENT_STALLED,
    /** The answer was still streaming when the shutdown grace ran out. */
    CUT_BY_SHUTDOWN;

    private final String wireName = name().toLowerCase(Locale.ROOT); // once: every finished request asks for it

    public String wireName() {
        return wireName;
    }
}
