package io.claudelb.server.observe;

import java.util.Locale;

/**
 * How a request's answer came about with respect to in-flight coalescing: {@link #LEADER} made the upstream call
 * (alone or for followers), {@link #FOLLOWER} got a live copy of an identical request's answer, {@link #REPLAY} a
 * completed one. {@link #OFF}: coalescing did not apply (turned off, or a request claude-lb answered itself).
 */
public enum CoalescingRole {
    OFF, LEADER, FOLLOWER, REPLAY;

    private final String wireName = name().toLowerCase(Locale.ROOT); // once: every finished request asks for it

    /** The name in headers, logs and the database: {@code leader}, {@code follower}, ... */
    public String wireName() {
        return wireName;
    }

    /** Whether this request's own upstream call happened (followers and replays cost nothing upstream). */
    public boolean calledUpstream() {
        return this == OFF || this == LEADER;
    }
}
