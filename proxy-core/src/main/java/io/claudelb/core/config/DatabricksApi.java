package io.claudelb.core.config;

/** Which of a Databricks workspace's Anthropic APIs a {@code databricks} upstream calls ({@code databricks.api}). */
public enum DatabricksApi {
    /**
     * Model serving, as before: {@code {base_url}/anthropic/v1/messages} with a base URL ending in
     * {@code /serving-endpoints}; models {@code databricks-claude-*}.
     */
    SERVING_ENDPOINTS("databricks-"),
    /** Unity AI Gateway: {@code {workspace}/ai-gateway/anthropic/v1/messages}; models {@code system.ai.claude-*}. */
    AI_GATEWAY("system.ai.");

    /** The AI Gateway's Messages path under the workspace root. */
    public static final String AI_GATEWAY_MESSAGES_PATH = "/ai-gateway/anthropic/v1/messages";

    private final String modelPrefix;

    DatabricksApi(String modelPrefix) {
        this.modelPrefix = modelPrefix;
    }

    /** What this API's model names put before {@code claude-...}. */
    public String modelPrefix() {
        return modelPrefix;
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
