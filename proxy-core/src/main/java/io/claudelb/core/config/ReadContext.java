package io.claudelb.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * State of one {@link ConfigLoader#parse} call, shared by the readers: environment expansion, the notes that end
 * up in {@link GatewayConfig#notes()}, and which keys' values lost a variable to expansion, so that an error about
 * a key left empty names the variable ("environment variable DATABRICKS_TOKEN is not set").
 */
final class ReadContext {
    private final EnvExpander expander;
    private final Map<String, List<String>> emptyVariables = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

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
