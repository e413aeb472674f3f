package io.claudelb.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Reads an upstream's outbound proxy: either a URL {@code http://user:pass@host:port} (seed B's {@code proxy}) or a
 * mapping {@code {url, username, password}}. Only HTTP CONNECT proxies exist in claude-lb, so any other scheme
 * (socks5, https) is an error rather than a silent direct connection. Errors never echo the URL: it may hold a
 * password.
 */
final class OutboundProxies {
    private static final List<String> KEYS = List.of("url", "username", "password");

    private OutboundProxies() {
    }

    /** The proxy at {@code parent.key}, or null when absent. */
    static OutboundProxy read(ConfigNode parent, String key) {
        if (!parent.has(key)) {
            return null;
        }
        if (!parent.isMap(key)) {
            return fromUrl(parent.pathOf(key), parent.required(key), null, Secret.empty());
        }
        ConfigNode n = parent.node(key);
        n.allowOnly(KEYS);
        String url = n.required("url");
        return fromUrl(n.pathOf("url"), url, n.string("username"), n.secret("password"));
    }

    /** Parses {@code url}; {@code username}/{@code password}, when given, add credentials the URL must not have. */
    static OutboundProxy fromUrl(String key, String url, String username, Secret password) {
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "is not a valid URL (" + e.getReason() + " at index " + e.getIndex()
                    + "); expected http://host:port or http://user:password@host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http")) {
            throw new ConfigException(key, scheme.isEmpty()
                    ? "expected http://host:port"
                    : "only HTTP CONNECT proxies (http://host:port) are supported, not " + scheme + "://");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(key, "has no host; expected http://host:port");
        }
        if (uri.getPort() <= 0) {
            throw new ConfigException(key, "has no port; expected http://host:port");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!path.isEmpty() && !path.equals("/") || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException(key, "must be just http://host:port (no path or query)");
        }
        String user = username;
        Secret pass = password;
        if (uri.getRawUserInfo() != null) {
            if (username != null || !password.isEmpty()) {
                throw new ConfigException(key, "has credentials in the URL and in username/password; give one");
            }
            String raw = uri.getRawUserInfo();
            int colon = raw.indexOf(':');
            user = decode(key, colon < 0 ? raw : raw.substring(0, colon));
            pass = Secret.of(colon < 0 ? "" : decode(key, raw.substring(colon + 1)));
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new OutboundProxy(host, uri.getPort(), user, pass);
    }

    /** Percent-decoding as in URLs ('+' stays '+'). */
    private static String decode(String key, String s) {
        try {
            return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, "has a malformed %-escape in its user name or password");
        }
    }
}
