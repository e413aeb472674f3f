package io.claudelb.core.config;

import java.util.List;

/**
 * A user error in the configuration: names the key (a dotted path such as {@code upstreams[1].base_url}) and the
 * problem. The CLI prints {@link #getMessage()} and exits non-zero, with no stack trace.
 *
 * <p>A file is read to its end and every error found is kept ({@link #errors()}), so one run of
 * {@code check-config} lists them all. The exception thrown for such a file is its first error, carrying the
 * others: {@link #key()} and {@link #problem()} are the first error's, and {@link #getMessage()} is that error's one
 * line followed by how many more there are.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String key;
    private final String problem;
    /** Every error of the file, this one first; null means this one alone. */
    private final transient List<ConfigException> errors;

    public ConfigException(String key, String problem) {
        super(key + ": " + problem);
        this.key = key;
        this.problem = problem;
        this.errors = null;
    }

    private ConfigException(List<ConfigException> errors) {
        super(errors.get(0).getMessage() + " (and " + (errors.size() - 1) + " more error"
                + (errors.size() == 2 ? "" : "s") + ": claude-lb check-config lists every one)");
        this.key = errors.get(0).key();
        this.problem = errors.get(0).problem();
        this.errors = List.copyOf(errors);
    }

    /** One exception for {@code errors} (at least one, each a single error, in the order found). */
    public static ConfigException of(List<ConfigException> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no errors");
        }
        return errors.size() == 1 ? errors.get(0) : new ConfigException(errors);
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    /** Every error, each with its own key and one-line message; a single error gives a list of itself. */
    public List<ConfigException> errors() {
        return errors == null ? List.of(this) : errors;
    }

    /** The same problem, with its key placed under a parent path ({@code upstreams[2]} + {@code token}). */
    public ConfigException under(String parent) {
        return new ConfigException(parent + "." + key, problem);
    }
}
