package io.claudelb.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * State of one {@link ConfigLoader#parse} call, shared by the readers: environment expansion, the notes that end
 * up in {@link GatewayConfig#notes()}, which keys' values lost a variable to expansion, so that an error about
 * a key left empty names the variable ("environment variable DATABRICKS_TOKEN is not set"), and the errors found.
 *
 * <p>Errors are collected, not thrown at the first one, so one run reports them all. Two ways lead here: a value
 * that has a safe stand-in (a bad number, an unknown key) is {@linkplain #report reported} by {@link ConfigNode} and
 * reading goes on with the default; anything else throws, and the nearest {@link #part} (a section, one list entry)
 * records it and leaves that part out. A second error for a key that already has one is a consequence of the first
 * and is dropped. Once the file is read, {@link #failIfErrors()} throws them all as one {@link ConfigException}.
 */
final class ReadContext {
    private final EnvExpander expander;
    private final Map<String, List<String>> emptyVariables = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final List<ConfigException> errors = new ArrayList<>();
    private final Set<String> errorKeys = new HashSet<>();

    ReadContext(Map<String, String> env) {
        this.expander = new EnvExpander(env);
    }

    /** Expands one string scalar found at {@code path}. */
    String expand(String path, String raw) {
        EnvExpander.Result r = expander.expand(path, raw);
        if (!r.emptyVariables().isEmpty()) {
            emptyVariables.put(path, r.emptyVariables());
        }
        return r.value();
    }

    /** " (environment variable X is not set)" when the value at {@code path} lost a variable, else "". */
    String emptyHint(String path) {
        List<String> vars = emptyVariables.get(path);
        return vars == null ? "" : " (" + String.join(", ", vars) + ")";
    }

    /** The same error, with the variables that left its key empty named. */
    ConfigException explain(ConfigException e) {
        String hint = emptyHint(e.key());
        return hint.isEmpty() || e.problem().endsWith(hint) ? e : new ConfigException(e.key(), e.problem() + hint);
    }

    /**
     * Runs a record constructor; its errors (keyed relative to the record) are placed under {@code parent} and
     * get their variable hint.
     */
    <T> T build(String parent, Supplier<T> constructor) {
        return build(parent, Map.of(), constructor);
    }

    /** As {@link #build(String, Supplier)}, renaming record keys to the file's own key names (seed formats). */
    <T> T build(String parent, Map<String, String> renames, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ConfigException e) {
            String key = renames.getOrDefault(e.key(), e.key());
            String full = parent.isEmpty() ? key : parent + "." + key;
            throw explain(new ConfigException(full, e.problem()));
        }
    }

    /** Records an error (with its variable hint) and lets reading go on. */
    void report(ConfigException e) {
        for (ConfigException each : e.errors()) {
            ConfigException explained = explain(each);
            if (errorKeys.add(explained.key())) {
                errors.add(explained);
            }
        }
    }

    /**
     * Reads one part of the file that the rest does not need in order to be checked (a section, one list entry,
     * one sub-mapping); an error it throws is recorded and the part gives {@code fallback}. The file is refused in
     * the end either way, so the fallback only has to let reading go on without causing errors of its own.
     */
    <T> T part(Supplier<T> read, T fallback) {
        try {
            return read.get();
        } catch (ConfigException e) {
            report(e);
            return fallback;
        }
    }

    /** Errors recorded so far: compare two counts to learn whether a part had any. */
    int errorCount() {
        return errors.size();
    }

    /** Throws every error recorded so far as one {@link ConfigException}; does nothing when there is none. */
    void failIfErrors() {
        if (!errors.isEmpty()) {
            throw ConfigException.of(errors);
        }
    }

    void note(String line) {
        notes.add(line);
    }

    /** The notes so far, then one per optional key a variable left empty (a likely deployment mistake). */
    List<String> notes() {
        List<String> all = new ArrayList<>(notes);
        emptyVariables.forEach((path, vars) ->
                all.add(path + ": " + String.join(", ", vars) + "; the value is empty"));
        return all;
    }
}
