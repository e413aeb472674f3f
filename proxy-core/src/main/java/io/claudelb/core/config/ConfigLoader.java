package io.claudelb.core.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of the config package: reads a YAML file (native, seed A's {@code config.yaml}, seed B's
 * {@code config.yaml} or its older {@code providers.yaml}) into one validated {@link GatewayConfig}. Used by
 * {@code serve}, reload and {@code check-config}. Every user error is a {@link ConfigException} naming the dotted
 * key ({@code upstreams[1].base_url}) and the problem, meant to be printed as one line without a stack trace; the
 * whole file is read before one is thrown, and it carries every error found ({@link ConfigException#errors()}).
 *
 * <p>The format is recognised from the top-level keys: {@code upstreams} is native; {@code endpoints} or
 * {@code load_balancer} is seed A; {@code providers} is seed B, as {@code providers.yaml} when its providers carry
 * {@code big_model}/{@code small_model} and there are no {@code model_routes}. Seed files are mapped onto the native
 * records, and {@link GatewayConfig#notes()} says which native key each of their keys became.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    /** Reads {@code file} with the process environment for {@code ${VAR}} expansion. */
    public static GatewayConfig load(Path file) {
        String source = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "file not found");
        } catch (MalformedInputException e) {
            throw new ConfigException(source, "is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(source, "cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        return parse(text, source, System.getenv());
    }

    /**
     * Parses YAML text.
     *
     * @param sourceName names the text in syntax errors (usually the file path)
     * @param env        the variables {@code ${VAR}} may refer to
     */
    public static GatewayConfig parse(String yamlText, String sourceName, Map<String, String> env) {
        Object doc = ConfigYaml.parse(yamlText, sourceName);
        if (doc == null) {
            throw new ConfigException(sourceName, "is empty; a config lists at least its upstreams");
        }
        if (!(doc instanceof Map<?, ?> map)) {
            throw new ConfigException(sourceName, "must be a YAML mapping (key: value lines) at the top level");
        }
        ReadContext ctx = new ReadContext(env);
        ConfigNode root = new ConfigNode(ctx, "", map);
        ConfigFormat format = detect(root, sourceName);
        // Every error of the file, in one exception: the readers collect what they can and throw the rest.
        GatewayConfig config = ctx.part(() -> switch (format) {
            case NATIVE -> NativeConfigReader.read(root, ctx);
            case SEED_A -> SeedAConfigMapper.map(root, ctx);
            case SEED_B -> SeedBConfigMapper.map(root, ctx, false);
            case SEED_B_PROVIDERS -> SeedBConfigMapper.map(root, ctx, true);
        }, null);
        ctx.failIfErrors();
        return config;
    }

    static ConfigFormat detect(ConfigNode root, String sourceName) {
        if (root.has("upstreams")) {
            return ConfigFormat.NATIVE;
        }
        if (root.has("endpoints") || root.has("load_balancer")) {
            return ConfigFormat.SEED_A;
        }
        if (root.has("providers")) {
            if (root.has("model_routes")) {
                return ConfigFormat.SEED_B;
            }
            for (ConfigNode provider : root.nodes("providers")) {
                if (provider.has("big_model") || provider.has("small_model")) {
                    return ConfigFormat.SEED_B_PROVIDERS;
                }
            }
            return ConfigFormat.SEED_B;
        }
        for (String key : NativeConfigReader.KEYS) {
            if (root.has(key)) {
                return ConfigFormat.NATIVE;
            }
        }
        throw new ConfigException(sourceName, "is not a claude-lb config: expected 'upstreams' (native format), "
                + "'endpoints' (seed A's config.yaml) or 'providers' (seed B's config.yaml / providers.yaml)");
    }
}
