package io.claudelb.server.metrics;

import io.claudelb.core.config.ClientKey;
import io.claudelb.core.config.GatewayConfig;
import io.claudelb.core.config.RouteConfig;
import io.claudelb.core.config.TargetConfig;
import io.claudelb.core.config.UpstreamConfig;
import io.claudelb.core.health.FailureKind;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The label values of claude-lb's metric series, each from a bounded set, so no caller can grow the number of series
 * (every distinct label set is a series Prometheus keeps): client and upstream names are the configured ones,
 * model families the three Claude families, target models the ones routes name plus at most {@link #MAX_OTHER_MODELS}
 * passed-through names; anything else is {@link #OTHER}, and a value the request never had is {@link #NONE}.
 * Follows reloads ({@link #reconfigure}); thread-safe, read on every event loop.
 */
final class SeriesLabels {
    static final String OTHER = "other";
    static final String NONE = "none";
    /** Passed-through model names (a route without a target model) that get their own series before "other". */
    static final int MAX_OTHER_MODELS = 32;
    private static final int MAX_LABEL_CHARS = 100;
    private static final String[] FAMILIES = {"opus", "sonnet", "haiku"};
    private static final String[] KINDS = kinds();
    /** Anthropic's error types: an {@code event: error} of another type is "other". */
    private static final Set<String> ERROR_TYPES = Set.of("invalid_request_error", "authentication_error",
            "permission_error", "not_found_error", "request_too_large", "rate_limit_error", "api_error",
            "overloaded_error", "billing_error", "timeout_error");

    private volatile Set<String> clients = Set.of();
    private volatile Set<String> upstreams = Set.of();
    private volatile Set<String> targetModels = Set.of();
    /** Passed-through names already given a series: it only grows, up to its bound, so a series never changes name. */
    private final Set<String> otherModels = ConcurrentHashMap.newKeySet();

    SeriesLabels(GatewayConfig config) {
        reconfigure(config);
    }

    void reconfigure(GatewayConfig config) {
        Set<String> c = new HashSet<>();
        for (ClientKey k : config.clients()) {
            c.add(k.name());
        }
        Set<String> u = new HashSet<>();
        for (UpstreamConfig up : config.upstreams()) {
            u.add(up.name());
        }
        Set<String> m = new HashSet<>();
        for (RouteConfig r : config.routes()) {
            for (TargetConfig t : r.targets()) {
                if (t.model() != null && !t.model().equals(TargetConfig.PASSTHROUGH)) {
                    m.add(t.model());
                }
            }
        }
        clients = Set.copyOf(c);
        upstreams = Set.copyOf(u);
        targetModels = Set.copyOf(m);
    }

    String client(String name) {
        return name == null ? NONE : clients.contains(name) ? name : OTHER;
    }

    String upstream(String name) {
        return name == null ? NONE : upstreams.contains(name) ? name : OTHER;
    }

    /** {@code opus}, {@code sonnet}, {@code haiku} for a Claude model name in any of its spellings, else other. */
    static String family(String model) {
        if (model == null) {
            return NONE;
        }
        String m = model.toLowerCase(Locale.ROOT);
        for (String f : FAMILIES) {
            if (m.contains(f)) {
                return f;
            }
        }
        return OTHER;
    }

    String targetModel(String model) {
        if (model == null) {
            return NONE;
        }
        if (targetModels.contains(model) || otherModels.contains(model)) {
            return model;
        }
        // The bound may be passed by a few under a race between loops; it stays bounded by the loop count.
        if (model.length() <= MAX_LABEL_CHARS && otherModels.size() < MAX_OTHER_MODELS && otherModels.add(model)) {
            return model;
        }
        return OTHER;
    }

    static String statusClass(int status) {
        return status <= 0 ? NONE : status < 600 ? (status / 100) + "xx" : OTHER;
    }

    static String errorKind(FailureKind kind) {
        return kind == null ? NONE : KINDS[kind.ordinal()];
    }

    /** The {@code error.type} of an in-band error event, bounded to Anthropic's types. */
    static String errorType(String type) {
        return type == null ? NONE : ERROR_TYPES.contains(type) ? type : OTHER;
    }

    private static String[] kinds() {
        FailureKind[] all = FailureKind.values();
        String[] names = new String[all.length];
        for (int i = 0; i < all.length; i++) {
            names[i] = all[i].name().toLowerCase(Locale.ROOT);
        }
        return names;
    }
}
