package io.claudelb.server.inbound;

import io.claudelb.core.config.ClientKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Matches a presented credential against the configured client keys. Every key is compared, in constant time each,
 * so the time taken says nothing about which key (or how much of one) matched.
 */
final class ClientKeys {
    private ClientKeys() {
    }

    /** The name of the matching key, or null. */
    static String match(List<ClientKey> keys, String presented) {
        if (presented == null || presented.isEmpty()) {
            return null;
        }
        byte[] bytes = presented.getBytes(StandardCharsets.UTF_8);
        String matched = null;
        for (ClientKey key : keys) {
            if (key.key().matches(bytes) && matched == null) {
                matched = key.name();
            }
        }
        return matched;
    }
}
