package io.claudelb.core.config;

import java.util.List;
import java.util.Locale;

/**
 * A family mapping for upstreams whose model names differ from Anthropic's, used for targets with no explicit model:
 * a name that already starts with one of {@link #keptPrefixes()} is the upstream's own and kept; otherwise the first
 * rule whose word the name contains (case-insensitive) gives the model; else {@link #fallback()}. Seed A's table for
 * {@code databricks} upstreams is {@link #SEED_A} ({@code databricks_models}); {@link #BEDROCK} is the one for
 * {@code bedrock} upstreams.
 *
 * @param keptPrefixes lower-case prefixes of names that are already the upstream's own
 */
public record ModelMap(List<Rule> rules, String fallback, List<String> keptPrefixes) {
    /** One row: a requested model name containing {@code contains} becomes {@code model}. */
    public record Rule(String contains, String model) {
        public Rule {
            Checks.notBlank("contains", contains);
            Checks.notBlank("model", model);
            contains = contains.toLowerCase(Locale.ROOT);
        }
    }

    /** Databricks' own names ({@code databricks-*}) are kept by a {@code databricks_models} table (declared before the tables that use
     * it). */
    static final List<String> DATABRICKS_KEPT = List.of("databricks-");

    public static final ModelMap SEED_A = new ModelMap(List.of(
            new Rule("opus", "databricks-claude-opus-4-5"),
            new Rule("sonnet", "databricks-claude-sonnet-4-5"),
            new Rule("haiku", "databricks-claude-haiku-4-5")), "databricks-claude-sonnet-4-5");

    /**
     * Claude Code's model names on Bedrock: the newest model of each family as a global cross-region inference
     * profile (served from most commercial regions). Bedrock model IDs ({@code anthropic.*}), geographic and global
     * inference profiles ({@code us.}, {@code eu.}, {@code apac.}, {@code jp.}, {@code au.}, {@code global.}) and
     * ARNs (application inference profiles, provisioned throughput) are kept.
     */
    public static final ModelMap BEDROCK = new ModelMap(List.of(
            new Rule("opus", "global.anthropic.claude-opus-4-5-20251101-v1:0"),
            new Rule("sonnet", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"),
            new Rule("haiku", "global.anthropic.claude-haiku-4-5-20251001-v1:0")),
            "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
            List.of("anthropic.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "us-gov.", "global.", "arn:"));

    /** A table that keeps names starting {@code databricks-} (seed A's rule). */
    public ModelMap(List<Rule> rules, String fallback) {
        this(rules, fallback, DATABRICKS_KEPT);
    }

    public ModelMap {
        rules = List.copyOf(rules);
        Checks.notBlank("fallback", fallback);
        keptPrefixes = keptPrefixes.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    }

    public String map(String requested) {
        if (keeps(requested)) {
            return requested;
        }
        String lower = requested.toLowerCase(Locale.ROOT);
        for (Rule rule : rules) {
            if (lower.contains(rule.contains())) {
                return rule.model();
            }
        }
        return fallback;
    }

    /** Whether {@code name} is already the upstream's own (starts with a kept prefix) and passes unchanged. */
    public boolean keeps(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String prefix : keptPrefixes) {
            if (lower.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
