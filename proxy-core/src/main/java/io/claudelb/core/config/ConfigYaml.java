package io.claudelb.core.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML step of {@link ConfigLoader}: SnakeYAML with {@link SafeConstructor} only (no arbitrary types), duplicate
 * keys refused, and every plain scalar kept as text. Keeping scalars as text avoids YAML 1.1 surprises in values
 * that are really strings (a token {@code 0x1F} or {@code 012345} turning into a number, {@code on}/{@code no}
 * turning into booleans) and lets {@code ${VAR}} expansion run before numbers and durations are parsed.
 * Syntax errors become {@code ConfigException(<file>, "line N: ...")}, never echoing the line (it may hold a secret).
 */
final class ConfigYaml {
    private ConfigYaml() {
    }

    /** The document's root value: a Map, a List, a String, or null for an empty document. */
    static Object parse(String text, String sourceName) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options,
                new TextScalarResolver());
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        try {
            return yaml.load(body);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(sourceName, describe(e));
        } catch (YAMLException e) {
            throw new ConfigException(sourceName, "not valid YAML: " + e.getMessage());
        }
    }

    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : "not valid YAML";
        StringBuilder out = new StringBuilder();
        if (mark != null) {
            out.append("line ").append(mark.getLine() + 1).append(": ");
        }
        out.append(problem);
        Mark contextMark = e.getContextMark();
        if (e.getContext() != null && contextMark != null && contextMark != mark) {
            out.append(" (").append(e.getContext()).append(" at line ").append(contextMark.getLine() + 1).append(')');
        }
        return out.toString();
    }

    /** Resolves only nulls ({@code ~}, {@code null}, empty) and merge keys ({@code <<}); every other scalar is text. */
    private static final class TextScalarResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
