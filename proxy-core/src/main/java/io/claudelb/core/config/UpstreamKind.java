package io.claudelb.core.config;

/** What protocol an upstream speaks and where its Messages endpoint lives relative to {@code base_url}. */
public enum UpstreamKind {
    /** Anthropic itself or an Anthropic-compatible relay: {@code {base_url}/v1/messages}. */
    ANTHROPIC("/v1/messages"),
    /** A Databricks workspace's serving endpoints: {@code {base_url}/anthropic/v1/messages}. */
    DATABRICKS("/anthropic/v1/messages"),
    /** An OpenAI Chat Completions endpoint, translated both ways: {@code {base_url}/chat/completions}. */
    OPENAI("/chat/completions");

    private final String messagesPath;

    UpstreamKind(String messagesPath) {
        this.messagesPath = messagesPath;
    }

    /** Path appended to the base URL's path for {@code POST /v1/messages}. */
    public String messagesPath() {
        return messagesPath;
    }

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
