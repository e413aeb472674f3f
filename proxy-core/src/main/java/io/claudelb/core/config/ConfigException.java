package io.claudelb.core.config;

/**
 * A user error in the configuration: names the key (a dotted path such as {@code upstreams[1].base_url}) and the
 * problem. The CLI prints {@link #getMessage()} and exits non-zero, with no stack trace.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String problem;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    /** The same problem, with its key placed under a parent path ({@code upstreams[2]} + {@code token}). */
    public ConfigException under(String parent) {
        return new ConfigException(parent + "." + key, problem);
    }
}
