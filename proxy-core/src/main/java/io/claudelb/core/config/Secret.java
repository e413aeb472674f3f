package io.claudelb.core.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential from the config (client key, admin key, upstream token). It never prints its value:
 * {@link #toString()} is a mask, so a secret that reaches a log line, /stats or an error message by
 * accident shows nothing. Comparison against caller input is constant-time.
 */
public final class Secret {
    private static final Secret EMPTY = new Secret("");
    private final String value;
    private final byte[] bytes;

    private Secret(String value) {
        this.value = value;
        this.bytes = value.getBytes(StandardCharsets.UTF_8);
    }

    public static Secret of(String value) {
        return value == null || value.isEmpty() ? EMPTY : new Secret(value);
    }

    public static Secret empty() {
        return EMPTY;
    }

    /** The clear value, for the one place that must send it (an upstream header, a token request). */
    public String reveal() {
        return value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** Constant-time comparison with what a caller presented. */
    public boolean matches(byte[] presented) {
        return !isEmpty() && presented != null && MessageDigest.isEqual(bytes, presented);
    }

    public boolean matches(String presented) {
        return presented != null && matches(presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && MessageDigest.isEqual(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value.length());
    }

    @Override
    public String toString() {
        return isEmpty() ? "<empty>" : "****";
    }
}
