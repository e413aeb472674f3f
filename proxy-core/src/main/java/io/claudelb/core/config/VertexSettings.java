package io.claudelb.core.config;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Where a {@code vertex} upstream lives ({@code upstreams[].project}, {@code upstreams[].region}) and how its paths are
 * laid out: {@code POST {base}/v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:rawPredict}
 * (or {@code :streamRawPredict}), and {@code .../models/count-tokens:rawPredict} for token counting.
 *
 * @param project the Google Cloud project id
 * @param region  a Vertex AI region such as {@code us-east5} or {@code europe-west1}, or {@code global}
 */
public record VertexSettings(String project, String region) {
    /** The region name of Vertex AI's global endpoint. */
    public static final String GLOBAL = "global";
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9.:-]{0,62}[a-z0-9]");
    private static final Pattern REGION = Pattern.compile(GLOBAL + "|[a-z]+(-[a-z]+)*\\d+");

    public VertexSettings {
        Checks.notBlank("project", project);
        Checks.notBlank("region", region);
        project = project.trim();
        region = region.trim();
        if (!PROJECT.matcher(project).matches()) {
            throw new ConfigException("project", "must be a Google Cloud project id (lower-case letters, digits and "
                    + "hyphens), got '" + project + "'");
        }
        if (!REGION.matcher(region).matches()) {
            throw new ConfigException("region", "must be a Vertex AI region such as us-east5, or global; got '"
                    + region + "'");
        }
    }

    /** {@code https://{region}-aiplatform.googleapis.com}, or {@code https://aiplatform.googleapis.com} for global. */
    public URI defaultBaseUrl() {
        return URI.create(GLOBAL.equals(region) ? "https://aiplatform.googleapis.com"
                : "https://" + region + "-aiplatform.googleapis.com");
    }

    /** The model's predict path under {@code basePath} (the base URL's path, usually empty). */
    public String predictPath(String basePath, String model, boolean stream) {
        return modelsPath(basePath) + model + (stream ? ":streamRawPredict" : ":rawPredict");
    }

    /** The count-tokens path; that endpoint's body keeps its {@code model}. */
    public String countTokensPath(String basePath) {
        return modelsPath(basePath) + "count-tokens:rawPredict";
    }

    private String modelsPath(String basePath) {
        return basePath + "/v1/projects/" + project + "/locations/" + region + "/publishers/anthropic/models/";
    }
}
