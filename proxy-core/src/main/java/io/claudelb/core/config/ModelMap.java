package io.claudelb.core.config;

import java.util.List;
import java.util.Locale;

/**
 * The family mapping for {@code databricks} upstreams with no explicit target model ({@code databricks_models}):
 * a name that already starts with {@code databricks-} is kept; otherwise the first rule whose word the name contains
 * (case-insensitive) gives the model; else {@link #fallback()}. Seed A's table is {@link #SEED_A}.
 */
public record ModelMap(List<Rule> rules, String fallback) {
    /** One row: a requested model name containing {@code contains} becomes {@code model}. */
    public record Rule(String contains, String model) {
        public Rule {
            Checks.notBlank("contains", contains);
            Checks.notBlank("model", model);
            contains = contains.toLowerCase(Locale.ROOT);
        }
    }

    public static final ModelMap SEED_A = new ModelMap(List.of(
            new Rule("opus", "databricks-claude-opus-4-5"),
            new Rule("sonnet", "databricks-claude-sonnet-4-5"),
            new Rule("haiku", "databricks-claude-haiku-4-5")), "databricks-claude-sonnet-4-5");

    public ModelMap {
        rules = List.copyOf(rules);
        Checks.notBlank("fallback", fallback);
    }

    public String map(String requested) {
        String lower = requested.toLowerCase(Locale.ROOT);
        if (lower.startsWith("databricks-")) {
            return requested;
        }
        for (Rule rule : rules) {
            if (lower.contains(rule.contains())) {
                return rule.model();
            }
        }
        return fallback;
    }
}
