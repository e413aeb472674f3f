package io.claudelb.core.config;

/**
 * An HTTP CONNECT proxy between claude-lb and one upstream ({@code upstreams[].proxy}, seed B's {@code proxy}).
 * The password is a {@link Secret}; {@link #toString()} shows host and port only.
 */
public record OutboundProxy(String host, int port, String username, Secret password) {
    public OutboundProxy {
        Checks.notBlank("proxy.host", host);
        Checks.range("proxy.port", port, 1, 65_535);
        password = password == null ? Secret.empty() : password;
    }

    public boolean hasCredentials() {
        return username != null && !username.isEmpty();
    }

    @Override
    public String toString() {
        return "http://" + host + ":" + port;
    }
}
