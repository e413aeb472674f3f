package io.claudelb.server.auth;

/**
 * One OAuth access token held by a {@link TokenSource}, with the two moments that govern its use. It is sent as
 * {@code Authorization: Bearer} and never printed: {@link #toString()} is a mask.
 *
 * @param value            the token itself
 * @param refreshAtNanos   from this moment (clock nanos) a background refresh starts; requests keep using this token
 * @param usableUntilNanos after this moment the token is no longer sent: a request waits for a fresh one
 */
public record AccessToken(String value, long refreshAtNanos, long usableUntilNanos) {

    /** Whether the token may still be sent at {@code nowNanos}. */
    public boolean usableAt(long nowNanos) {
        return nowNanos - usableUntilNanos < 0;
    }

    /** Whether a refresh should start at {@code nowNanos} (the token may still be usable). */
    public boolean dueAt(long nowNanos) {
        return nowNanos - refreshAtNanos >= 0;
    }

    @Override
    public String toString() {
        return "AccessToken[****]";
    }
}
